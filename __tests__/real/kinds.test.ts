// Knative, Argo Rollouts, KServe and a team's own CRD on the real control plane: their CRDs installed on the
// real apiserver, their controllers played by the test world (testcluster/real/controllers.ts), the
// Deployments and ReplicaSets they create run by the real controller-manager, scheduler and simulated kubelets.
import { startControllers, type Controllers } from '../../testcluster/real/controllers.js'
import { realCluster, STORY_WORLD, runStory, type RealCluster } from '../../testcluster/real/harness.js'
import { expectStory } from '../helpers/real-story.js'
import { kindStories } from '../../testcluster/stories/index.js'

let c: RealCluster
let controllers: Controllers

beforeAll(async () => {
  c = await realCluster(STORY_WORLD)
  controllers = await startControllers(c.world)
}, 120_000)

afterAll(async () => {
  controllers?.stop()
  await c?.stop()
})

describe('every workload kind the action supports, on the real control plane', () => {
  for (const story of kindStories()) {
    test(
      story.name,
      async () => {
        expectStory(story, await runStory(c, story))
      },
      120_000
    )
  }
})
