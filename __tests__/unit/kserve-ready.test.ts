// KServe copies observedGeneration from what lies beneath it, not from the InferenceService: a Ready status read
// right after an apply can still be the previous spec's (the real control plane showed it once the action started
// faster than KServe reacted: a model that could not load was called success). Unconfirmed by the built digest,
// its success must hold for `grace`; confirmed by it, it is final at once.
import type { InferenceService } from '../../src/kinds/inference-service.js'
import type { Snapshot } from '../../src/kube/snapshot.js'
import type { Pod } from '../../src/kube/types.js'
import { decide } from '../../src/verdict/decide.js'

const DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

const isvc: InferenceService = {
  metadata: { name: 'iris', namespace: 'shop' },
  spec: { predictor: { containers: [{ name: 'kserve-container', image: 'registry.example.com/iris:2' }] } },
  status: {
    components: {
      predictor: {
        latestCreatedRevision: 'iris-predictor-00001',
        latestReadyRevision: 'iris-predictor-00001'
      }
    },
    conditions: [
      { type: 'PredictorReady', status: 'True' },
      { type: 'IngressReady', status: 'True' },
      { type: 'Ready', status: 'True' }
    ]
  }
}

const pod = {
  metadata: {
    name: 'iris-predictor-00001-deployment-7d9c-abcde',
    namespace: 'shop',
    labels: {
      'serving.kserve.io/inferenceservice': 'iris',
      'serving.knative.dev/revision': 'iris-predictor-00001'
    }
  },
  spec: { containers: [{ name: 'kserve-container', image: 'registry.example.com/iris:2' }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'kserve-container',
        ready: true,
        restartCount: 0,
        image: 'registry.example.com/iris:2',
        imageID: `registry.example.com/iris@${DIGEST}`,
        state: { running: { startedAt: '2026-12-06T12:00:00Z' } }
      }
    ]
  }
} as unknown as Pod

const snap: Snapshot = {
  takenAt: '2026-12-06T12:00:05Z',
  workload: { kind: 'InferenceService', name: 'iris', namespace: 'shop' },
  object: isvc as Snapshot['object'],
  replicaSets: [],
  pods: [pod],
  events: [],
  logs: {},
  unreadable: []
}

test('Ready without the built digest to confirm it: success, but only once it has held for grace', () => {
  expect(decide(snap)).toMatchObject({ verdict: 'success', finality: 'after-grace' })
})

test('Ready and running the built digest: success at once', () => {
  const d = decide(snap, { digest: { kind: 'input', refs: [{ digest: DIGEST }] } })
  expect(d).toMatchObject({ verdict: 'success', finality: 'final' })
})
