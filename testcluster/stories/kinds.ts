// The kinds whose controllers the worlds play: a Knative Service, an Argo Rollout, a KServe InferenceService and
// a team's own CRD, one success and the characteristic failure of each. On the real control plane their CRDs are
// installed and the world's controllers (testcluster/real/controllers.ts) run them; the stand-in replays those
// runs' recordings. The YAML is what a pipeline applies; where an admission webhook would have defaulted a field (Knative
// names a lone container `user-container`), the YAML carries the default, as the stored object would.
import type { Obj } from '../real/client.js'
import { controllersOf, promote, STORAGE_INITIALIZER } from '../real/controllers.js'
import type { RealWorld } from '../real/world.js'
import { NEW_DIGEST, REPO, V1, V2 } from './images.js'
import { registryBasics, webContainer } from './real.js'
import type { Story, StoryNs } from './story.js'

const digest = `${REPO}@${NEW_DIGEST}`

/** Waits until the world's controller reports the custom resource at `path` as `check` wants it. */
async function untilStatus(
  w: RealWorld,
  what: string,
  path: string,
  check: (o: Obj) => boolean
): Promise<void> {
  await w.until(what, async () => {
    const o = await w.api.getOrUndefined(path)
    return o !== undefined && (o.status?.observedGeneration ?? 0) >= (o.metadata.generation ?? 0) && check(o)
  })
}

const ready = (o: Obj): boolean =>
  ((o.status?.conditions ?? []) as { type: string; status: string }[]).some(
    c => c.type === 'Ready' && c.status === 'True'
  )

// ---- Knative ----

function ksvc(ns: string, image: string): Obj {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: ns },
    spec: {
      template: {
        spec: {
          containerConcurrency: 0,
          timeoutSeconds: 300,
          containers: [{ ...webContainer(image), name: 'user-container' }]
        }
      }
    }
  }
}

async function ksvcServing(w: RealWorld, s: StoryNs): Promise<void> {
  registryBasics(w)
  await w.apply(ksvc(s.app, V1))
  await untilStatus(
    w,
    'ksvc web to serve web-00001',
    `/apis/serving.knative.dev/v1/namespaces/${s.app}/services/web`,
    o => ready(o) && o.status?.latestReadyRevisionName === 'web-00001'
  )
}

// ---- Argo Rollouts ----

function rollout(ns: string, image: string, steps: object[]): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { terminationGracePeriodSeconds: 5, containers: [webContainer(image)] }
      },
      strategy: { canary: { steps } }
    }
  }
}

const RO_PATH = (ns: string): string => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/web`

async function rolloutServing(w: RealWorld, s: StoryNs, steps: object[]): Promise<void> {
  registryBasics(w)
  await w.apply(rollout(s.app, V1, steps))
  await untilStatus(w, 'rollout web to be Healthy', RO_PATH(s.app), o => o.status?.phase === 'Healthy')
}

const CANARY = [{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }]
const ANALYSED = [
  { setWeight: 50 },
  { analysis: { templates: [{ templateName: 'success-rate' }] } },
  { setWeight: 100 }
]

// ---- KServe ----

function isvc(ns: string, name: string, predictor: object): Obj {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: ns },
    spec: { predictor }
  }
}

const ISVC_PATH = (ns: string, name: string): string =>
  `/apis/serving.kserve.io/v1beta1/namespaces/${ns}/inferenceservices/${name}`

async function isvcServing(w: RealWorld, s: StoryNs, name: string, predictor: object): Promise<void> {
  await w.apply(isvc(s.app, name, predictor))
  // KServe's observedGeneration is the Knative Service's: readiness of the first revision says it.
  await w.until(`isvc ${name} to be Ready`, async () => {
    const o = await w.api.getOrUndefined(ISVC_PATH(s.app, name))
    return o !== undefined && ready(o)
  })
}

const modelServer = (image: string): object => ({
  containers: [{ ...webContainer(image), name: 'kserve-container' }]
})
const sklearn = (storageUri: string): object => ({ model: { modelFormat: { name: 'sklearn' }, storageUri } })

// ---- a team's own CRD ----

function database(ns: string, version: string): Obj {
  return {
    apiVersion: 'db.example.com/v1',
    kind: 'Database',
    metadata: { name: 'orders', namespace: ns },
    spec: { engine: 'postgres', version }
  }
}

/** deploy/rbac.yaml's comment: add the team's own kind to the Role, here as its own Role and binding. */
async function grantDatabases(w: RealWorld, s: StoryNs): Promise<void> {
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${s.app}`
  await w.api.apply(`${rbac}/roles/kube-verdict-databases`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'kube-verdict-databases', namespace: s.app },
    rules: [{ apiGroups: ['db.example.com'], resources: ['databases'], verbs: ['get', 'list', 'watch'] }]
  })
  await w.api.apply(`${rbac}/rolebindings/kube-verdict-databases`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'kube-verdict-databases', namespace: s.app },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kube-verdict-databases' },
    subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: s.app }]
  })
}

export const KINDS: Story[] = [
  {
    name: 'success: a Knative Service serves its new revision',
    expect: 'success',
    early: true,
    inputs: s => ({ workload: 'ksvc/web', namespace: s.app, 'expected-digest': digest }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await ksvcServing(w, s)
        await w.apply(ksvc(s.app, V2))
      }
    }
  },
  {
    name: 'image-pull: a Knative revision fails, its image cannot be pulled',
    expect: 'image-pull',
    early: true,
    inputs: s => ({ workload: 'ksvc/web', namespace: s.app, 'expected-digest': digest }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await ksvcServing(w, s)
        w.registry.set(`${REPO}:1.4.3`, { pull: 'not-found' }, s.app)
        await w.apply(ksvc(s.app, `${REPO}:1.4.3`))
      }
    }
  },
  {
    name: 'crash-loop: a Knative revision whose container exits (ExitCode1)',
    expect: 'crash-loop',
    early: true,
    inputs: s => ({ workload: 'ksvc/web', namespace: s.app, 'expected-digest': digest }),
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await ksvcServing(w, s)
        // Knative runs the digest it resolved the tag to: the image's behaviour is the pinned reference's.
        w.registry.set(
          `${REPO}@${NEW_DIGEST}`,
          {
            program: {
              kind: 'exit',
              code: 1,
              after: 0.3,
              log: ['Error: connect ECONNREFUSED 10.96.0.12:5432']
            }
          },
          s.app
        )
        await w.apply(ksvc(s.app, V2))
      }
    }
  },
  {
    name: 'scheduling: a Knative revision whose pod no node can take',
    expect: 'scheduling',
    inputs: s => ({ workload: 'ksvc/web', namespace: s.app, 'expected-digest': digest }),
    real: {
      timeout: '8s',
      setup: async (w, s) => {
        await ksvcServing(w, s)
        const big = ksvc(s.app, V2)
        big.spec.template.spec.containers[0].resources = { requests: { cpu: '100m', memory: '64Gi' } }
        await w.apply(big)
      }
    }
  },
  {
    name: 'success: a Knative revision waits for the node the autoscaler adds (Unschedulable is not final)',
    expect: 'success',
    early: true,
    inputs: s => ({ workload: 'ksvc/web', namespace: s.app, 'expected-digest': digest }),
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await ksvcServing(w, s)
        // More memory than any node has free: Knative marks the revision Unschedulable until the new node is up.
        const big = ksvc(s.app, V2)
        big.spec.template.spec.containers[0].resources = { requests: { cpu: '100m', memory: '12Gi' } }
        await w.apply(big)
      }
    }
  },
  {
    name: 'success: an Argo Rollout canary is promoted and Healthy',
    expect: 'success',
    early: true,
    inputs: s => ({ workload: 'rollout/web', namespace: s.app, 'expected-digest': digest }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await rolloutServing(w, s, CANARY)
        await w.apply(rollout(s.app, V2, CANARY))
      },
      then: async (w, s) => {
        // A person promotes the canary once it pauses with its pod Ready.
        await w.until('the canary to pause', async () => {
          const o = await w.api.get(RO_PATH(s.app))
          return o.status?.phase === 'Paused'
        })
        await promote(w, s.app, 'web')
      }
    }
  },
  {
    name: 'timeout: an Argo Rollout paused at a canary step is waiting, not failing',
    expect: 'timeout',
    inputs: s => ({ workload: 'rollout/web', namespace: s.app, 'expected-digest': digest }),
    standIn: { timeout: '3s' },
    real: {
      timeout: '5s',
      setup: async (w, s) => {
        await rolloutServing(w, s, CANARY)
        await w.apply(rollout(s.app, V2, CANARY))
      }
    }
  },
  {
    name: 'unhealthy: an Argo Rollout is aborted (Degraded)',
    expect: 'unhealthy',
    early: true,
    inputs: s => ({ workload: 'rollout/web', namespace: s.app, 'expected-digest': digest }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await rolloutServing(w, s, ANALYSED)
        controllersOf(w).analysis.set(`${s.app}/web`, {
          metric: 'success-rate',
          failed: 3,
          failureLimit: 2,
          after: 1
        })
        await w.apply(rollout(s.app, V2, ANALYSED))
      }
    }
  },
  {
    name: 'success: a KServe InferenceService serves its new predictor revision',
    expect: 'success',
    early: true,
    inputs: s => ({ workload: 'isvc/fraud', namespace: s.app, 'expected-digest': digest }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        registryBasics(w)
        await isvcServing(w, s, 'fraud', modelServer(V1))
        await w.apply(isvc(s.app, 'fraud', modelServer(V2)))
      }
    }
  },
  {
    name: 'crash-loop: a KServe model cannot be loaded (storage-initializer, ModelLoadFailed)',
    expect: 'crash-loop',
    early: true,
    inputs: s => ({ workload: 'isvc/iris', namespace: s.app }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await isvcServing(w, s, 'iris', sklearn('gs://models-shop/iris/v1'))
        // From now on the storage initializer finds no model (v2 was never uploaded).
        w.registry.set(
          STORAGE_INITIALIZER,
          {
            program: {
              kind: 'exit',
              code: 1,
              after: 0.3,
              log: [
                'INFO:root:Copying contents of gs://models-shop/iris/v2 to local',
                'RuntimeError: Failed to fetch model. No model found in gs://models-shop/iris/v2.'
              ]
            }
          },
          s.app
        )
        await w.apply(isvc(s.app, 'iris', sklearn('gs://models-shop/iris/v2')))
      }
    }
  },
  {
    name: "success: a team's own custom resource becomes Ready (generic conditions rule)",
    expect: 'success',
    early: true,
    inputs: s => ({ workload: 'databases.v1.db.example.com/orders', namespace: s.app }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await grantDatabases(w, s)
        await w.apply(database(s.app, '16.4'))
      }
    }
  },
  {
    name: "unhealthy: a team's own custom resource is Stalled (generic conditions rule)",
    expect: 'unhealthy',
    early: true,
    inputs: s => ({ workload: 'databases.v1.db.example.com/orders', namespace: s.app }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await grantDatabases(w, s)
        await w.apply(database(s.app, '17.0'))
      }
    }
  }
]
