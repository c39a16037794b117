// The real control plane's stories on the stand-in: each timeline recorded by `npm run record:timelines`
// (testcluster/timeline/recorded/) is replayed into the stand-in's Store and verified by the bundled action as
// the runner runs it; the verdict is the one the story expects, as on the real control plane.
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { runAction } from '../../testcluster/run-action.js'
import { play } from '../../testcluster/stories/stand-in.js'
import { recordedTimelines } from '../../testcluster/timeline/files.js'
import { replay } from '../../testcluster/timeline/replay.js'

const recorded = recordedTimelines()

/** A reason's words without its counts (restarts, an event's ×N), which a busy machine may change, plural and all. */
const shape = (reason: string): string => reason.replace(/\d+/g, 'N').replace(/\bN (\w+?)s\b/g, 'N $1')

test('timelines are recorded', () => {
  expect(recorded.length).toBeGreaterThanOrEqual(8)
})

describe('recorded stories of the real control plane, replayed on the stand-in', () => {
  for (const { file, timeline: t } of recorded) {
    test(`${t.story} (${file})`, async () => {
      const scenario = replay(t)
      const pb = await play(scenario, { quiet: true })
      try {
        const run = await runAction({
          ...t.inputs,
          timeout: t.timeout,
          kubeconfig: kubeconfigYaml(pb.server)
        })
        if (process.env.KV_DEBUG)
          process.stderr.write(`${t.story}\n  real:   ${t.realReason}\n  replay: ${run.outputs.reason}\n`)
        expect(`${run.outputs.verdict}: ${run.outputs.reason}`).toMatch(new RegExp(`^${t.expect}: .+`))
        if (t.reason) expect(run.outputs.reason).toMatch(new RegExp(t.reason))
        // In the real run's words.
        if (t.realReason) expect(shape(run.outputs.reason!)).toBe(shape(t.realReason))
        expect(run.exitCode).toBe(t.expect === 'success' ? 0 : 1)
        expect(run.stdout + run.stderr).not.toMatch(
          /dist\/index\.js:\d+|node:internal\/|triggerUncaughtException/
        )
        if (t.early) expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(parseFloat(t.timeout) / 2)
        // The Store counted the same generations as the real apiserver: the recording holds every spec change.
        expect(scenario.mismatches).toEqual([])
      } finally {
        await pb.stop()
      }
    }, 120_000)
  }
})

test("a replayed crash loop carries the real container's last log lines", async () => {
  const { timeline: t } = recorded.find(r => r.timeline.story.startsWith('crash-loop: the container exits'))!
  const pb = await play(replay(t), { quiet: true })
  try {
    const run = await runAction({ ...t.inputs, timeout: t.timeout, kubeconfig: kubeconfigYaml(pb.server) })
    const report = JSON.parse(run.outputs.report!) as { findings: { verdict: string; detail?: string[] }[] }
    expect(report.findings.find(f => f.verdict === 'crash-loop')?.detail?.join('\n')).toMatch(
      /ECONNREFUSED 10\.96\.0\.12:5432/
    )
  } finally {
    await pb.stop()
  }
})
