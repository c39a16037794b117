// The decision table on a real control plane: kube-apiserver, etcd, kube-controller-manager and kube-scheduler
// built from the official Go modules; the world plays only the machines. Each story runs the bundle as the
// runner does, with a real ServiceAccount token bound by deploy/rbac.yaml.
import { REAL_STORIES } from '../../testcluster/real/stories.js'
import { realCluster, runStory, type RealCluster } from '../../testcluster/real/harness.js'

let c: RealCluster

beforeAll(async () => {
  c = await realCluster({
    crashBackoff: 0.5,
    nodeGroups: [
      {
        name: 'general-pool',
        max: 6,
        provisionSeconds: 1,
        template: { cpu: '4', memory: '16Gi', labels: { pool: 'general' } }
      }
    ]
  })
}, 120_000)

afterAll(async () => {
  await c?.stop()
})

describe('each row of the decision table on the real control plane', () => {
  for (const story of REAL_STORIES) {
    test(
      story.name,
      async () => {
        const { run, thenError } = await runStory(c, story)
        expect(thenError).toBeUndefined()
        if (process.env.KV_DEBUG)
          console.log(`${story.name}\n  → ${run.outputs.verdict}: ${run.outputs.reason}`)
        // On a mismatch the message shows the reason the action gave.
        expect(`${run.outputs.verdict}: ${run.outputs.reason}`).toMatch(new RegExp(`^${story.expect}: .+`))
        if (story.reason) expect(run.outputs.reason).toMatch(story.reason)
        expect(run.exitCode).toBe(story.expect === 'success' ? 0 : 1)
        expect(run.stdout + run.stderr).not.toMatch(
          /dist\/index\.js:\d+|node:internal\/|triggerUncaughtException/
        )
        if (story.early) {
          expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(parseFloat(story.timeout) / 2)
        }
      },
      120_000
    )
  }
})
