// A stand-in telling that replays the real control plane's recorded run of the story
// (testcluster/timeline/recorded/): the stand-in then writes only what the real controllers, scheduler and
// kubelets wrote, and imitates none of them.
import { recorded } from '../timeline/files.js'
import { replay } from '../timeline/replay.js'
import { timelineSlug, type Timeline } from '../timeline/timeline.js'
import type { Scenario } from './stand-in.js'
import type { StandInTelling } from './story.js'

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
 * The replay of the story's recording, within `timeout` (the recording's own deadline if not given). The deploy
 * is setup's last write (at 0); a rollout that completes settles at the last write before the real verdict.
 */
export function recordedTelling(story: string, timeout?: string): StandInTelling {
  return {
    timeout: timeout ?? recordedTimeline(story).timeout,
    scenario: (): Scenario => {
      const t = recordedTimeline(story)
      const s = replay(t)
      s.deploysAt = 0
      if (t.verdict === 'success' && t.verdictAt !== undefined) {
        const before = s.steps.map(x => x.at).filter(at => at <= t.verdictAt!)
        s.settlesAt = Math.max(0, ...before)
      }
      return s
    }
  }
}
