// Makes a recorded timeline deterministic and small: the story's namespaces become the stand-in's, uids and
// container IDs count up in order of appearance, timestamps count from a fixed epoch, the random suffixes of
// generated pod names, of the autoscaler's nodes and of event names become stable ones (a ReplicaSet's
// pod-template-hash stays), and what
// no reader reads goes: managedFields, resourceVersions, pod addresses, and of the workload's pods all the action
// does not keep (src/kube/trim.ts is the proof: its caches hold trimPod's fields only).
import { trimPod } from '../../src/kube/trim.js'
import type { Pod } from '../../src/kube/types.js'
import { BUILD_NS, NS } from '../stories/stand-in.js'
import type { KObject } from '../shared/object.js'
import { EPOCH, TIMESTAMP, formatLike, mapStrings, type Entry, type Timeline } from './timeline.js'

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g
const CONTAINER_ID = /\b(containerd|docker|cri-o):\/\/[0-9a-f]{64}\b/g
/** The suffix alphabet of generated names (k8s.io/apimachinery rand.String): no vowels. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'
/** Story-seconds are kept to a tenth: finer is only the machine's jitter. */
const AT_STEP = 0.1

export function normalize(t: Timeline, to: Timeline['namespaces'] = { app: NS, build: BUILD_NS }): Timeline {
  const entries = t.entries
    .filter(e => !readNever(e.obj, t.namespaces.build))
    .map(e => slim(e, t.namespaces.app))
  const rename = renamer(t, entries, to)
  const rewrite = <T>(v: T): T => mapStrings(v, rename)
  return {
    ...t,
    inputs: rewrite(t.inputs),
    ...(t.realReason !== undefined ? { realReason: rewrite(t.realReason) } : {}),
    namespaces: { ...to },
    storyStart: EPOCH,
    entries: entries.map(e => ({ at: tenth(e.at), op: e.op, obj: rewrite(e.obj) })),
    logs: t.logs.map(l => ({ ...rewrite(l), at: tenth(l.at) }))
  }
}

const tenth = (at: number): number => Math.round(at / AT_STEP) / (1 / AT_STEP)

/**
 * Events the action never reads: it reads those of the workload's namespace about a stalled pod or a ReplicaSet
 * short of pods (SnapshotReader.stalled in src/kube/reader.ts), none in the build's namespace.
 */
function readNever(o: KObject, buildNs: string): boolean {
  if (o.kind !== 'Event') return false
  const about = (o.involvedObject as { kind?: string } | undefined)?.kind
  return o.metadata.namespace === buildNs || (about !== 'Pod' && about !== 'ReplicaSet')
}

/** Without the API server's bookkeeping; a workload pod as the action's cache keeps it. */
function slim(e: Entry, appNs: string): Entry {
  let o = structuredClone(e.obj)
  if (o.kind === 'Pod' && o.metadata.namespace === appNs) {
    const generateName = o.metadata.generateName
    o = { kind: 'Pod', apiVersion: 'v1', ...(trimPod(o as unknown as Pod) as unknown as KObject) }
    if (generateName) o.metadata.generateName = generateName
  }
  if (o.kind === 'Pod' && o.status && typeof o.status === 'object') {
    const s = o.status as Record<string, unknown>
    for (const k of ['podIP', 'podIPs', 'hostIP', 'hostIPs', 'qosClass']) delete s[k]
  }
  for (const k of ['managedFields', 'resourceVersion', 'selfLink']) delete o.metadata[k]
  const involved = o.involvedObject as Record<string, unknown> | undefined
  if (involved) delete involved.resourceVersion
  return { ...e, obj: o }
}

/** The string rewrite of one timeline: names first seen in its entries, in order, get stable replacements. */
function renamer(t: Timeline, entries: Entry[], to: Timeline['namespaces']): (s: string) => string {
  const names = new Map<string, string>([
    [t.namespaces.app, to.app],
    [t.namespaces.build, to.build]
  ])
  let generated = 0
  for (const { obj } of entries) {
    const { name, generateName } = obj.metadata
    // A random suffix only: a StatefulSet's pods have a generateName too, and their ordinals mean something.
    if (typeof generateName === 'string' && !names.has(name) && randomSuffixed(name, generateName))
      names.set(name, generateName + suffix(++generated))
    delete obj.metadata.generateName
  }
  // Nodes the autoscaler added get a random suffix too (`general-pool-hc13w`).
  let nodes = 0
  for (const { obj } of entries) {
    const node = (obj.spec as { nodeName?: unknown } | undefined)?.nodeName
    const m = typeof node === 'string' ? /^(.+-)[a-z0-9]{5}$/.exec(node) : null
    if (m && !names.has(node as string)) names.set(node as string, m[1] + suffix(++nodes))
  }
  const byName = (s: string): string => names.get(s) ?? s
  const events = new Map<string, string>()
  for (const { obj } of entries) {
    const involved = (obj.involvedObject as { name?: string } | undefined)?.name
    if (obj.kind === 'Event' && involved && !events.has(obj.metadata.name))
      events.set(obj.metadata.name, `${byName(involved)}.${(events.size + 1).toString(16).padStart(16, '0')}`)
  }
  const token = tokens([...names.keys()])
  // The story's own tag (`:1.5.0-7`) carries the namespace's counter.
  const counter = /-(\d+)$/.exec(t.namespaces.app)?.[1]
  const tag = counter ? new RegExp(`(\\d+\\.\\d+\\.\\d+)-${counter}\\b`, 'g') : undefined
  const uids = new Map<string, string>()
  const ids = new Map<string, string>()
  return s => {
    if (TIMESTAMP.test(s)) return formatLike(EPOCH + Date.parse(s) - t.storyStart, s)
    const event = events.get(s)
    if (event) return event
    let out = token ? s.replace(token, byName) : s
    if (tag) out = out.replace(tag, '$1-0')
    out = out.replace(UUID, u => counted(uids, u, n => `00000000-0000-4000-a000-${n.padStart(12, '0')}`))
    return out.replace(CONTAINER_ID, (id, runtime: string) =>
      counted(ids, id, n => `${runtime}://${n.padStart(64, '0')}`)
    )
  }
}

function counted(seen: Map<string, string>, key: string, make: (hex: string) => string): string {
  let v = seen.get(key)
  if (!v) seen.set(key, (v = make((seen.size + 1).toString(16))))
  return v
}

function randomSuffixed(name: string, generateName: string): boolean {
  const rest = name.slice(generateName.length)
  return name.startsWith(generateName) && rest.length === 5 && [...rest].every(c => ALPHABET.includes(c))
}

/** Five characters of the generated-name alphabet, from a counter. */
function suffix(n: number): string {
  let out = ''
  for (let i = 0, x = n; i < 5; i++, x = Math.floor(x / ALPHABET.length))
    out = ALPHABET[x % ALPHABET.length] + out
  return out
}

/** A regular expression for whole names (not inside a longer DNS name), longest first. */
function tokens(names: string[]): RegExp | undefined {
  if (names.length === 0) return undefined
  const alt = [...names]
    .sort((a, b) => b.length - a.length)
    .map(n => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')
  return new RegExp(`(?<![a-z0-9-])(?:${alt})(?![a-z0-9-])`, 'g')
}
