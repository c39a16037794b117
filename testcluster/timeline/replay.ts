// Plays a recorded timeline on the stand-in: at each recorded moment, the objects the real control plane wrote
// go into the Store as they were (and the logs as they grew). Nothing is computed here: no controller, scheduler
// or kubelet imitation, only what the real ones did, timestamps moved to the replay's own clock.
import { RESOURCES } from '../resources.js'
import { Scenario } from '../stories/stand-in.js'
import { nowMs } from '../shared/clock.js'
import type { KObject } from '../shared/object.js'
import type { World } from '../world.js'
import { TIMESTAMP, formatLike, mapStrings, type Entry, type LogEntry, type Timeline } from './timeline.js'

type Item = { entry: Entry; as: string } | { log: LogEntry }

/** A replayed timeline; `mismatches` lists objects whose generation the Store computed otherwise than recorded. */
export class TimelineScenario extends Scenario {
  readonly mismatches: string[] = []
}

/**
 * The story as a stand-in Scenario: setup's writes (at ≤ 0) at 0 with the namespaces, then one step per recorded
 * moment. `scale` as play() is given it, so that the objects' timestamps keep the story's spacing; `zero` fixes
 * story-second 0 at that epoch ms instead of the moment the first step runs (the test worlds' clock, which a
 * fixture recording holds still at one instant).
 */
export function replay(t: Timeline, opts: { scale?: number; zero?: number } = {}): TimelineScenario {
  const scale = opts.scale ?? 1
  const s = new TimelineScenario(t.story)
  const steps = new Map<number, Item[]>()
  const add = (at: number, item: Item): void => {
    const key = Math.max(0, at)
    if (!steps.has(key)) steps.set(key, [])
    steps.get(key)!.push(item)
  }
  steps.set(0, [])
  for (const entry of t.entries) add(entry.at, { entry, as: storeKind(entry.obj) })
  for (const log of t.logs) add(log.at, { log })
  // Story-second 0 in this replay's wall clock, set by the first step.
  let zero = 0
  const rebase = (o: KObject): KObject =>
    mapStrings(o, v => (TIMESTAMP.test(v) ? formatLike(zero + (Date.parse(v) - t.storyStart) * scale, v) : v))
  for (const at of [...steps.keys()].sort((a, b) => a - b)) {
    const items = steps.get(at)!
    s.at(at, label(items), w => {
      if (at === 0) {
        zero = opts.zero ?? nowMs()
        for (const n of new Set([t.namespaces.app, t.namespaces.build])) namespace(w, n)
      }
      for (const item of items)
        if ('log' in item) writeLog(w, item.log)
        else write(w, item, rebase, s.mismatches)
    })
  }
  return s
}

function namespace(w: World, name: string): void {
  w.store.put({ kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: {} })
}

/** The stand-in's name for an object's kind: Knative's Service is `KnativeService` there (resources.ts). */
export function storeKind(o: KObject): string {
  const [group, version] = o.apiVersion?.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion]
  const r = RESOURCES.find(
    x => x.group === group && x.version === version && (x.servedKind ?? x.kind) === o.kind
  )
  if (!r) throw new Error(`the stand-in serves no ${o.apiVersion} ${o.kind}`)
  return r.kind
}

function write(
  w: World,
  { entry: e, as }: { entry: Entry; as: string },
  rebase: (o: KObject) => KObject,
  mismatches: string[]
): void {
  const { kind, metadata } = e.obj
  if (e.op === 'delete') {
    w.store.delete(as, metadata.namespace, metadata.name)
    return
  }
  const written = w.store.put(rebase(e.obj), as)
  if (metadata.generation !== undefined && written.metadata.generation !== metadata.generation)
    mismatches.push(
      `${kind} ${metadata.name}: generation ${written.metadata.generation}, recorded ${metadata.generation}`
    )
}

function writeLog(w: World, l: LogEntry): void {
  if (l.restarted) w.store.rotateLog(l.namespace, l.pod, l.container)
  if (l.lines.length > 0) w.store.appendLog(l.namespace, l.pod, l.container, l.lines.join('\n'))
}

/** What a step writes, in a few words: `put Pod web-…, delete Pod …, log build-42-…/kaniko`. */
function label(items: Item[]): string {
  const words = items.map(i =>
    'log' in i
      ? `log ${i.log.pod}/${i.log.container}`
      : `${i.entry.op} ${i.entry.obj.kind} ${i.entry.obj.metadata.name}`
  )
  const shown = words.slice(0, 3).join(', ')
  return words.length > 3 ? `${shown} and ${words.length - 3} more` : shown || 'the namespaces'
}
