// What every story on the real control plane must show, whatever its file: the verdict (with the reason in the
// failure message), the components' words where the story pins them, the exit code, no stack trace of ours,
// and an early verdict where the story ends the wait early.
import type { StoryRun } from '../../testcluster/real/harness.js'
import type { RealStory } from '../../testcluster/stories/story.js'

export function expectStory(story: RealStory, { run, thenError }: StoryRun): void {
  expect(thenError).toBeUndefined()
  if (process.env.KV_DEBUG) console.log(`${story.name}\n  → ${run.outputs.verdict}: ${run.outputs.reason}`)
  expect(`${run.outputs.verdict}: ${run.outputs.reason}`).toMatch(new RegExp(`^${story.expect}: .+`))
  if (story.reason) expect(run.outputs.reason).toMatch(story.reason)
  expect(run.exitCode).toBe(story.expect === 'success' ? 0 : 1)
  expect(run.stdout + run.stderr).not.toMatch(/dist\/index\.js:\d+|node:internal\/|triggerUncaughtException/)
  if (story.early) expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(parseFloat(story.timeout) / 2)
}
