// Knative, Argo Rollouts, KServe and a team's own CRD on the real control plane: their CRDs installed on the
// real apiserver, their controllers played by the test world (testcluster/real/controllers.ts), the
// Deployments and ReplicaSets they create run by the real controller-manager, scheduler and simulated kubelets.
import { startControllers, type Controllers } from '../../testcluster/real/controllers.js'
import { realCluster, runStory, type RealCluster } from '../../testcluster/real/harness.js'
import { KIND_STORIES } from '../../testcluster/real/kind-stories.js'

let c: RealCluster
let controllers: Controllers

beforeAll(async () => {
  c = await realCluster({
    crashBackoff: 0.5,
    // A general pool the cluster-autoscaler may grow (nodes of 16Gi, up in a story-second).
    nodeGroups: [
      {
        name: 'general-pool',
        max: 6,
        provisionSeconds: 1,
        template: { cpu: '4', memory: '16Gi', labels: { pool: 'general' } }
      }
    ]
  })
  controllers = await startControllers(c.world)
}, 120_000)

afterAll(async () => {
  controllers?.stop()
  await c?.stop()
})

describe('every workload kind the action supports, on the real control plane', () => {
  for (const story of KIND_STORIES) {
    test(
      story.name,
      async () => {
        const { run, thenError } = await runStory(c, story)
        expect(thenError).toBeUndefined()
        if (process.env.KV_DEBUG)
          console.log(`${story.name}\n  → ${run.outputs.verdict}: ${run.outputs.reason}`)
        expect(`${run.outputs.verdict}: ${run.outputs.reason}`).toMatch(new RegExp(`^${story.expect}: .+`))
        expect(run.exitCode).toBe(story.expect === 'success' ? 0 : 1)
        expect(run.stdout + run.stderr).not.toMatch(
          /dist\/index\.js:\d+|node:internal\/|triggerUncaughtException/
        )
        if (story.early)
          expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(parseFloat(story.timeout) / 2)
      },
      120_000
    )
  }
})
