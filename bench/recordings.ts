// The bench's stand-in rows: replays of what the real control plane recorded (testcluster/timeline/recorded/),
// and pure edits of those timelines in time. Nothing here computes what a controller, the scheduler or the
// autoscaler would write; the edits only move recorded writes to other moments.
import { ROLLING_UPDATE, SEEDS as SEEDS_STORY, recordedTimeline } from '../testcluster/stories/recorded.js'
import { replay } from '../testcluster/timeline/replay.js'
import type { Timeline } from '../testcluster/timeline/timeline.js'
import type { Scenario } from '../testcluster/stories/stand-in.js'
import { isRolledOut } from '../testcluster/real/world.js'

/** The real rolling update of 3 replicas to the built digest. */
export const ROLLS_OUT = recordedTimeline(ROLLING_UPDATE)
/** The real seeds' story: the build pushes late, the deploy waits for the autoscaler's node. */
export const SEEDS = recordedTimeline(SEEDS_STORY)

/** Every write and log line at story-second `from` or later, `by` seconds later (objects keep their timestamps). */
export function moved(t: Timeline, from: number, by: number): Timeline {
  const move = <T extends { at: number }>(x: T): T => (x.at >= from ? { ...x, at: round(x.at + by) } : x)
  return { ...t, entries: t.entries.map(move), logs: t.logs.map(move) }
}

const round = (s: number): number => Math.round(s * 1000) / 1000

/** The deploy step: the first write that raises a Deployment's generation (at 0 if setup's), and which one. */
export function deployOf(t: Timeline): { at: number; key: string } {
  const last = new Map<string, number>()
  for (const e of t.entries) {
    if (e.obj.kind !== 'Deployment') continue
    const key = `${e.obj.metadata.namespace}/${e.obj.metadata.name}`
    const g = Number(e.obj.metadata.generation ?? 0)
    const before = last.get(key)
    last.set(key, g)
    if (before !== undefined && g > before) return { at: Math.max(0, e.at), key }
  }
  throw new Error(`${t.story}: no deploy changes a Deployment`)
}

export const deployMoment = (t: Timeline): number => deployOf(t).at

/**
 * The replay for the latency rows: `deploysAt` at the deploy step (where `kubectl rollout status` starts) and
 * `settlesAt` at the write that completes the deployed Deployment by kubectl's rule (the real controller's status).
 */
export function rowScenario(t: Timeline): Scenario {
  const s = replay(t)
  const deploy = deployOf(t)
  s.deploysAt = deploy.at
  const done = t.entries.find(
    e =>
      e.at >= deploy.at &&
      e.op === 'put' &&
      e.obj.kind === 'Deployment' &&
      `${e.obj.metadata.namespace}/${e.obj.metadata.name}` === deploy.key &&
      isRolledOut(e.obj)
  )
  if (!done) throw new Error(`${t.story}: the deployed Deployment never completes`)
  s.settlesAt = Math.max(0, done.at)
  return s
}

/** The new pod's scheduling in a recording: first FailedScheduling, the autoscaler's answer, the binding. */
export function stallMoments(t: Timeline, pod: string): { failed: number; answered: number; bound: number } {
  const event = (reason: string): number | undefined =>
    t.entries.find(
      e =>
        e.obj.kind === 'Event' &&
        (e.obj as { reason?: string }).reason === reason &&
        (e.obj as { involvedObject?: { name?: string } }).involvedObject?.name === pod
    )?.at
  const failed = event('FailedScheduling')
  const answered = event('TriggeredScaleUp')
  const bound = t.entries.find(
    e =>
      e.obj.kind === 'Pod' &&
      e.obj.metadata.name === pod &&
      Boolean((e.obj.spec as { nodeName?: string } | undefined)?.nodeName)
  )?.at
  if (failed === undefined || answered === undefined || bound === undefined)
    throw new Error(`${t.story}: ${pod} is not unschedulable, answered by the autoscaler, then bound`)
  return { failed, answered, bound }
}

/**
 * The recording with the deploy at story-second 0 (what came before is setup) and its new pod's wait for a node
 * stretched to `stallS` seconds: the autoscaler's answer `answerS` seconds after the first FailedScheduling, the
 * binding and everything after it `stallS` seconds after. A pure edit in time of what the real components wrote.
 */
export function stalled(t: Timeline, pod: string, stallS: number, answerS: number): Timeline {
  const from0 = moved(t, -Infinity, -deployMoment(t))
  const m = stallMoments(from0, pod)
  const answered = moved(from0, m.answered, m.failed + answerS - m.answered)
  const bound = stallMoments(answered, pod).bound
  return moved(answered, bound, m.failed + stallS - bound)
}
