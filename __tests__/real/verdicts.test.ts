// The decision table on a real control plane: kube-apiserver, etcd, kube-controller-manager and kube-scheduler
// built from the official Go modules; the world plays only the machines. Each story runs the bundle as the
// runner does, with a real ServiceAccount token bound by deploy/rbac.yaml.
import { expectStory } from '../helpers/real-story.js'
import { realStories } from '../../testcluster/stories/index.js'
import { realCluster, STORY_WORLD, runStory, type RealCluster } from '../../testcluster/real/harness.js'

let c: RealCluster

beforeAll(async () => {
  c = await realCluster(STORY_WORLD)
}, 120_000)

afterAll(async () => {
  await c?.stop()
})

describe('each row of the decision table on the real control plane', () => {
  for (const story of realStories()) {
    test(
      story.name,
      async () => {
        expectStory(story, await runStory(c, story))
      },
      120_000
    )
  }
})
