// Knative marks a revision whose pod the scheduler cannot place not Ready, with the scheduler's message, and
// Ready again once a node takes it (the real control plane showed it: the stand-in's Knative never did). It is
// not the revision's failure: before, the action ended the wait at once with `scheduling`, while the
// cluster-autoscaler was adding the node that would have made it a success.
import { inferenceService, type InferenceService } from '../../src/kinds/inference-service.js'
import { knativeService } from '../../src/kinds/knative-service.js'
import type { KnativeService } from '../../src/kube/types.js'

const SCHEDULER =
  '0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient memory. no new claims to deallocate, preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.'
const failed = (message: string) => ({
  type: 'ConfigurationsReady',
  status: 'False',
  reason: 'RevisionFailed',
  message: `Revision "web-00002" failed with message: ${message}.`
})

function ksvc(message: string): KnativeService {
  return {
    metadata: { name: 'web', namespace: 'shop', generation: 2 },
    spec: { template: { spec: { containers: [{ name: 'user-container', image: 'web:1.4.2' }] } } },
    status: {
      observedGeneration: 2,
      latestCreatedRevisionName: 'web-00002',
      latestReadyRevisionName: 'web-00001',
      conditions: [
        failed(message),
        { ...failed(message), type: 'Ready' },
        { type: 'RoutesReady', status: 'True' }
      ]
    }
  } as KnativeService
}

const input = <O>(object: O) => ({ object, pods: [], replicaSets: [], label: 'ksvc/web', namespace: 'shop' })

test('a Knative revision the scheduler cannot place yet is progressing, not failed', () => {
  const s = knativeService.rule(input(ksvc(SCHEDULER)))
  expect(s.phase).toBe('progressing')
  expect(s.phase === 'progressing' && s.waitingFor).toBe(
    'revision web-00002 to be scheduled (RevisionFailed)'
  )
})

test('a revision Knative gave up on (its image) is still failed', () => {
  const s = knativeService.rule(
    input(ksvc('Unable to fetch image "web:1.4.3": failed to resolve image to digest: MANIFEST_UNKNOWN'))
  )
  expect(s.phase === 'failed' && s.verdict).toBe('image-pull')
})

test('a KServe predictor whose pod the scheduler cannot place yet is progressing, not failed', () => {
  const isvc: InferenceService = {
    metadata: { name: 'fraud', namespace: 'shop' },
    spec: { predictor: { containers: [{ name: 'kserve-container', image: 'web:1.4.2' }] } },
    status: {
      components: {
        predictor: {
          latestCreatedRevision: 'fraud-predictor-00002',
          latestReadyRevision: 'fraud-predictor-00001'
        }
      },
      conditions: [
        {
          type: 'PredictorReady',
          status: 'False',
          reason: 'RevisionFailed',
          message: failed(SCHEDULER).message
        },
        { type: 'Ready', status: 'False', reason: 'RevisionFailed', message: failed(SCHEDULER).message }
      ]
    }
  }
  expect(inferenceService.rule(input(isvc)).phase).toBe('progressing')
})
