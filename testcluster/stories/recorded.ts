// The stand-in's telling of every story: the replay of the real control plane's recorded run of it
// (testcluster/timeline/recorded/), so the stand-in writes only what the real controllers, scheduler and kubelets
// wrote, and imitates none of them.
import { recorded } from '../timeline/files.js'
import { replay } from '../timeline/replay.js'
import { timelineSlug, type Timeline } from '../timeline/timeline.js'
import type { Scenario } from './stand-in.js'

const loaded = new Map<string, Timeline>()

/** The story's recorded timeline, read once. */
export function recordedTimeline(story: string): Timeline {
  let t = loaded.get(story)
  if (!t) {
    t = recorded(timelineSlug(story))
    if (t.story !== story) throw new Error(`${timelineSlug(story)}.json is the timeline of "${t.story}"`)
    loaded.set(story, t)
  }
  return t
}

/**
 * The replay of the story's recording. The deploy is setup's last write (at 0); a rollout that completes settles
 * at the last write before the real verdict.
 */
export function recordedScenario(story: string): Scenario {
  const t = recordedTimeline(story)
  const s = replay(t)
  s.deploysAt = 0
  if (t.verdict === 'success' && t.verdictAt !== undefined) {
    const before = s.steps.map(x => x.at).filter(at => at <= t.verdictAt!)
    s.settlesAt = Math.max(0, ...before)
  }
  return s
}

/** The two recordings the tests, the demo and `npm run cluster` reach for by a short name. */
export const ROLLING_UPDATE = 'success: rolling update of 3 replicas to the built digest'
export const SEEDS =
  "success: the seeds' timeline (build pushes at 90 s, autoscaler adds a node, ready at 110 s)"

/** The real control plane's rolling update of 3 replicas, replayed: deployed at 0, complete at its last write. */
export const rollingUpdate = (): Scenario => recordedScenario(ROLLING_UPDATE)

/**
 * The seeds' story as the real control plane told it: 110 story-seconds told in about 9 (the build pushes at 6.3 s,
 * the new pod waits for the autoscaler's node until 8 s, Ready at 9.2 s). `SEEDS_SCALE` plays it in about 3 s.
 */
export const seedsStory = (): Scenario => recordedScenario(SEEDS)
export const SEEDS_SCALE = 0.3
