// The decision table's stories on the real control plane. Each story gets its own namespaces; the world sets
// up what the machines and the registry do, applies YAML as a pipeline would, and lets the real controllers and
// scheduler do the rest. Times are story-seconds on the world's clock.
import type { Obj } from '../real/client.js'
import type { ImageBehavior, ScriptStep } from '../real/registry.js'
import type { RealWorld } from '../real/world.js'
import { NEW_DIGEST, OLD_DIGEST, REPO, V1, V2, kaniko } from './images.js'

export interface StoryNs {
  /** The workload's namespace. */
  app: string
  /** The build pod's namespace. */
  build: string
}

/** What the action has logged so far, for a story that acts at a moment of the action's own (a soak). */
export interface ActionLog {
  said: (line: RegExp, ms?: number) => Promise<void>
}

export interface RealStory {
  name: string
  expect: string
  /** The verdict must come before half the deadline. */
  early?: boolean
  timeout: string
  inputs: (s: StoryNs) => Record<string, string>
  /** The cluster as the deploy step leaves it. */
  setup: (w: RealWorld, s: StoryNs) => Promise<void>
  /** What happens while the action waits; `action.said` resolves once the action has logged a matching line. */
  then?: (w: RealWorld, s: StoryNs, action?: ActionLog) => Promise<void>
  /** What the reason must say (the real components' words). */
  reason?: RegExp
  /** Give the action no RBAC in the namespace (403), or a token the apiserver does not know (401). */
  credentials?: 'no-rbac' | 'invalid'
}

type Container = {
  name: string
  image: string
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> }
  [k: string]: unknown
}

const PROBE = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 1 }

export function webContainer(image: string, extra: Partial<Container> = {}): Container {
  return {
    name: 'web',
    image,
    ports: [{ containerPort: 8080 }],
    readinessProbe: PROBE,
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
    ...extra
  }
}

export function deployment(
  ns: string,
  name: string,
  containers: Container[],
  opts: { replicas?: number; podSpec?: object; spec?: object } = {}
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers, terminationGracePeriodSeconds: 5, ...opts.podSpec }
      },
      ...opts.spec
    }
  }
}

/** The registry holds 1.4.1 and 1.4.2 under the digests the stand-in stories use. */
function registryBasics(w: RealWorld): void {
  w.registry.push(V1, OLD_DIGEST)
  w.registry.push(V2, NEW_DIGEST)
}

/** web 1.4.1 is serving (rolled out and available) in the story's namespace. */
export async function serving(w: RealWorld, s: StoryNs, opts: { replicas?: number } = {}): Promise<void> {
  registryBasics(w)
  await w.apply(deployment(s.app, 'web', [webContainer(V1)], opts))
  await w.rolledOut(s.app, 'web')
}

/** The deploy step: `kubectl set image` (or an apply of the new template). */
export async function deploy(
  w: RealWorld,
  s: StoryNs,
  container: Partial<Container> = {},
  podSpec?: object
): Promise<void> {
  await w.apply(deployment(s.app, 'web', [webContainer(V2, container)], { podSpec }))
}

const digestInputs = (s: StoryNs): Record<string, string> => ({
  workload: 'deployment/web',
  namespace: s.app,
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

const behave = (w: RealWorld, s: StoryNs, image: string, b: ImageBehavior): void =>
  w.registry.set(image, b, s.app)

const KANIKO = 'gcr.io/kaniko-project/executor:v1.23.2'

/** What the Kaniko container in the story's build namespace logs, step by step, and how it ends. */
function kanikoScript(w: RealWorld, s: StoryNs, steps: ScriptStep[]): void {
  w.registry.set(KANIKO, { program: { kind: 'script', steps } }, s.build)
}

function buildPodSpec(destination: string): object {
  return {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'kaniko',
        image: KANIKO,
        args: ['--dockerfile=Dockerfile', '--context=dir:///workspace', `--destination=${destination}`]
      }
    ]
  }
}

/** A build Job (Kaniko) in the story's build namespace, pushing `destination`. */
async function buildJob(w: RealWorld, s: StoryNs, destination: string): Promise<void> {
  await w.apply({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'build-42', namespace: s.build },
    spec: { backoffLimit: 0, template: { spec: buildPodSpec(destination) } }
  })
}

/**
 * A tag of this story's own: the registry is shared by the stories of a file, and a tag another story pushed
 * (1.4.2 is there from the start) would resolve.
 */
const storyTag = (s: StoryNs): string => `${REPO}:1.5.0-${s.app.split('-').pop()}`

const buildInputs = (s: StoryNs): Record<string, string> => ({
  workload: 'deployment/web',
  namespace: s.app,
  'build-pod': 'job-name=build-42',
  'build-namespace': s.build
})

function statefulSet(ns: string, image: string, opts: { replicas?: number; onDelete?: boolean } = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: ns },
    spec: {
      serviceName: 'db',
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: { app: 'db' } },
      ...(opts.onDelete ? { updateStrategy: { type: 'OnDelete' } } : {}),
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { terminationGracePeriodSeconds: 5, containers: [{ ...webContainer(image), name: 'db' }] }
      }
    }
  }
}

function daemonSet(ns: string, image: string, memory = '128Mi'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: ns },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            { ...webContainer(image), name: 'agent', resources: { requests: { cpu: '100m', memory } } }
          ]
        }
      }
    }
  }
}

function job(ns: string, image: string, backoffLimit = 0): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate-42', namespace: ns },
    spec: {
      backoffLimit,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] } }
    }
  }
}

/** A pod as `kubectl run` makes it (no controller). */
function barePod(ns: string, name: string, image: string, labels: Record<string, string>): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { terminationGracePeriodSeconds: 5, containers: [webContainer(image)] }
  }
}

export const REAL_STORIES: RealStory[] = [
  {
    name: 'success: rolling update of 3 replicas to the built digest',
    expect: 'success',
    early: true,
    timeout: '60s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s, { replicas: 3 })
      await w.apply(deployment(s.app, 'web', [webContainer(V2)], { replicas: 3 }))
    }
  },
  {
    name: "success: the seeds' timeline (the build pushes late, the autoscaler adds a node, then Ready)",
    expect: 'success',
    early: true,
    timeout: '90s',
    inputs: s => ({
      workload: 'deployment/web',
      namespace: s.app,
      'build-pod': 'job-name=build-42',
      'build-namespace': s.build
    }),
    setup: async (w, s) => {
      await serving(w, s)
      kanikoScript(w, s, [
        {
          at: 0,
          log: [
            kaniko(0, 'Retrieving image manifest node:22-alpine'),
            kaniko(2, "Building stage 'node:22-alpine' [idx: '0', base-idx: '-1']")
          ]
        },
        { at: 2, log: [kaniko(30, 'RUN npm ci && npm run build')] },
        { at: 4, log: [kaniko(60, 'Taking snapshot of full filesystem...')] },
        {
          at: 6,
          log: [kaniko(85, `Pushing image to ${V2}`), kaniko(90, `Pushed ${REPO}@${NEW_DIGEST}`)],
          push: { image: V2, digest: NEW_DIGEST },
          exit: 0
        }
      ])
      // Not pushed yet: the registry answers 1.4.2 only after the build.
      w.registry.set(V2, { pull: 'not-found' }, s.app)
      await w.apply({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'build-42', namespace: s.build },
        spec: { backoffLimit: 0, template: { spec: buildPodSpec(V2) } }
      })
    },
    then: async (w, s) => {
      // The pipeline deploys once the build has pushed; the new release asks for more memory than any
      // node has free, so it waits for the autoscaler's new node.
      await w.until('the build to push', async () => w.registry.resolve(V2, s.build) === NEW_DIGEST, 60_000)
      behave(w, s, V2, { program: { kind: 'serve', readyAfter: 1 } })
      await deploy(w, s, { resources: { requests: { cpu: '100m', memory: '12Gi' } } })
    }
  },
  {
    name: 'build-failed: the build pod exits without a Pushed line',
    expect: 'build-failed',
    early: true,
    timeout: '60s',
    inputs: s => ({
      workload: 'deployment/web',
      namespace: s.app,
      'build-pod': 'build-42',
      'build-namespace': s.build
    }),
    setup: async (w, s) => {
      await serving(w, s)
      kanikoScript(w, s, [
        { at: 0, log: [kaniko(0, 'Retrieving image manifest node:22-alpine')] },
        {
          at: 1,
          log: [
            kaniko(40, 'RUN npm ci && npm run build'),
            "src/server.ts(12,7): error TS2322: Type 'string' is not assignable to type 'number'.",
            kaniko(
              52,
              'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 2',
              'ERRO'
            )
          ],
          exit: 1
        }
      ])
      // A CI system's bare build pod (Tekton, GitLab's Kubernetes executor), by name.
      await w.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'build-42', namespace: s.build, labels: { app: 'kaniko' } },
        spec: buildPodSpec(V2)
      })
    }
  },
  {
    name: 'timeout: the build still runs at the deadline, and the new pod cannot pull the tag it will push',
    expect: 'timeout',
    timeout: '8s',
    reason:
      /^deadline of 8s passed while still waiting for the build pod \S+\/build-42-\w+ to push registry\.example\.com\/shop\/web:1\.5\.0-\d+ \(the new pod cannot pull it until then\)$/,
    inputs: buildInputs,
    setup: async (w, s) => {
      await serving(w, s)
      const tag = storyTag(s)
      kanikoScript(w, s, [
        { at: 0, log: [kaniko(0, 'Retrieving image manifest node:22-alpine')] },
        { at: 2, log: [kaniko(2, 'RUN npm ci && npm run build')] },
        // It would push at 40 s, long after the deadline.
        {
          at: 40,
          log: [kaniko(40, `Pushed ${REPO}@${NEW_DIGEST}`)],
          push: { image: tag, digest: NEW_DIGEST },
          exit: 0
        }
      ])
      w.registry.set(tag, { pull: 'not-found' }, s.app)
      await buildJob(w, s, tag)
      // The deploy already points at the tag: the new pod gets ErrImagePull, not found.
      await deploy(w, s, { image: tag })
    }
  },
  {
    name: 'image-pull: the build pushed, and the new pod still cannot pull its tag (the registry refuses)',
    expect: 'image-pull',
    timeout: '20s',
    // Refused while the build ran (a repository not pushed yet may be answered so): waiting. Refused again when
    // the kubelet pulls after its 10 s back-off, after the push: image-pull.
    reason:
      /container web cannot pull its image: the repository does not exist or needs credentials \(still so at the 20s deadline\)$/,
    inputs: buildInputs,
    setup: async (w, s) => {
      await serving(w, s)
      const tag = storyTag(s)
      kanikoScript(w, s, [
        { at: 0, log: [kaniko(0, 'Retrieving image manifest node:22-alpine')] },
        {
          at: 3,
          log: [kaniko(3, `Pushing image to ${tag}`), kaniko(3, `Pushed ${REPO}@${NEW_DIGEST}`)],
          push: { image: tag, digest: NEW_DIGEST },
          exit: 0
        }
      ])
      w.registry.set(tag, { pull: 'unauthorized' }, s.app)
      await buildJob(w, s, tag)
      await deploy(w, s, { image: tag })
    }
  },
  {
    name: 'scheduling: the new pods want the GPU pool without tolerating its taint; the autoscaler cannot help',
    expect: 'scheduling',
    reason:
      /untolerated taint.*node affinity\/selector on \d\/\d nodes; the cluster-autoscaler will not add a node/,
    timeout: '8s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      await deploy(w, s, {}, { nodeSelector: { pool: 'gpu' } })
    }
  },
  {
    name: 'scheduling: the new pods ask for more memory than any node has',
    expect: 'scheduling',
    timeout: '8s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      await deploy(w, s, { resources: { requests: { cpu: '100m', memory: '64Gi' } } })
    }
  },
  {
    name: 'scheduling: a PersistentVolumeClaim that nothing can bind',
    expect: 'scheduling',
    reason:
      /pod has unbound immediate PersistentVolumeClaims on \d+\/\d+ nodes; the cluster-autoscaler will not add a node/,
    timeout: '8s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      await w.apply({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace: s.app },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'fast-ssd',
          resources: { requests: { storage: '1Gi' } }
        }
      })
      await deploy(
        w,
        s,
        { volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        {
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]
        }
      )
    }
  },
  {
    name: 'stale: the pods run another digest than was built',
    expect: 'stale',
    early: true,
    timeout: '60s',
    inputs: s => ({ ...digestInputs(s), grace: '1s' }),
    setup: async (w, s) => serving(w, s)
  },
  {
    name: 'network: FailedCreatePodSandBox, the CNI cannot assign an IP',
    expect: 'network',
    timeout: '8s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      w.kubelets.sandboxFailures.set(
        s.app,
        'rpc error: code = Unknown desc = failed to setup network for sandbox "6f1c0d9e2b7a": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container'
      )
      await deploy(w, s)
    }
  },
  {
    name: 'image-pull: the tag does not exist (ErrImagePull, ImagePullBackOff)',
    expect: 'image-pull',
    timeout: '8s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      behave(w, s, `${REPO}:1.4.3`, { pull: 'not-found' })
      await deploy(w, s, { image: `${REPO}:1.4.3` })
    }
  },
  {
    name: 'image-pull: InvalidImageName ends the wait at once',
    expect: 'image-pull',
    early: true,
    timeout: '60s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      await deploy(w, s, { image: 'Registry.example.com/shop/web:1.4.2' })
    }
  },
  {
    name: 'config-error: CreateContainerConfigError for a missing Secret',
    expect: 'config-error',
    timeout: '8s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      await deploy(w, s, {
        env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } }]
      })
    }
  },
  {
    name: 'crash-loop: the container exits again and again (ends early, with the last log lines)',
    expect: 'crash-loop',
    early: true,
    timeout: '60s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      behave(w, s, V2, {
        program: {
          kind: 'exit',
          code: 1,
          after: 0.3,
          log: [
            'Error: connect ECONNREFUSED 10.96.0.12:5432',
            '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)'
          ]
        }
      })
      await deploy(w, s)
    }
  },
  {
    name: 'crash-loop: OOMKilled',
    expect: 'crash-loop',
    early: true,
    timeout: '60s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      behave(w, s, V2, { program: { kind: 'exit', code: 137, reason: 'OOMKilled', after: 0.3 } })
      await deploy(w, s)
    }
  },
  {
    name: 'unhealthy: running, readiness never passes',
    expect: 'unhealthy',
    timeout: '8s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      behave(w, s, V2, {
        program: { kind: 'serve', neverReady: { probe: 'HTTP probe failed with statuscode: 503' } }
      })
      await deploy(w, s)
    }
  },
  {
    name: 'not-found: the workload does not exist',
    expect: 'not-found',
    early: true,
    timeout: '60s',
    inputs: s => ({ ...digestInputs(s), workload: 'deployment/webb', grace: '1s' }),
    setup: async (w, s) => serving(w, s)
  },
  {
    name: 'timeout: the Deployment exceeds its progressDeadlineSeconds while the image pulls',
    expect: 'timeout',
    early: true,
    timeout: '60s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      behave(w, s, V2, { pullSeconds: 600 })
      await w.apply({
        ...deployment(s.app, 'web', [webContainer(V2)], { spec: { progressDeadlineSeconds: 3 } })
      })
    }
  },
  {
    name: 'unreachable: the token may not read the namespace (403)',
    expect: 'unreachable',
    reason: /deployments\.apps "web" is forbidden: User "system:serviceaccount:[^"]+:deployer" cannot list/,
    early: true,
    timeout: '60s',
    credentials: 'no-rbac',
    inputs: digestInputs,
    setup: async (w, s) => serving(w, s)
  },
  {
    name: 'unreachable: the apiserver refuses the token (401)',
    expect: 'unreachable',
    early: true,
    timeout: '60s',
    credentials: 'invalid',
    inputs: digestInputs,
    setup: async (w, s) => serving(w, s)
  },
  {
    name: 'success: StatefulSet rolling update, highest ordinal first',
    expect: 'success',
    early: true,
    timeout: '60s',
    inputs: s => ({ ...digestInputs(s), workload: 'statefulset/db' }),
    setup: async (w, s) => {
      registryBasics(w)
      await w.apply(statefulSet(s.app, V1))
      await w.rolledOut(s.app, 'db', 'statefulsets')
      await w.apply(statefulSet(s.app, V2))
    }
  },
  {
    name: 'crash-loop: StatefulSet pod db-2 crash-loops and holds up the ordered rollout',
    expect: 'crash-loop',
    early: true,
    timeout: '60s',
    inputs: s => ({ ...digestInputs(s), workload: 'statefulset/db' }),
    setup: async (w, s) => {
      registryBasics(w)
      await w.apply(statefulSet(s.app, V1))
      await w.rolledOut(s.app, 'db', 'statefulsets')
      behave(w, s, V2, {
        program: {
          kind: 'exit',
          code: 1,
          after: 0.3,
          log: ['FATAL: could not open data directory "/var/lib/data": Permission denied']
        }
      })
      await w.apply(statefulSet(s.app, V2))
    }
  },
  {
    name: 'stale: StatefulSet with updateStrategy OnDelete keeps its old pods',
    expect: 'stale',
    early: true,
    timeout: '60s',
    inputs: s => ({ ...digestInputs(s), workload: 'statefulset/db', grace: '1s' }),
    setup: async (w, s) => {
      registryBasics(w)
      await w.apply(statefulSet(s.app, V1, { replicas: 2, onDelete: true }))
      await w.rolledOut(s.app, 'db', 'statefulsets')
      await w.apply(statefulSet(s.app, V2, { replicas: 2, onDelete: true }))
    }
  },
  {
    name: 'success: DaemonSet rolls out to every node it may run on',
    expect: 'success',
    early: true,
    timeout: '60s',
    inputs: s => ({ ...digestInputs(s), workload: 'daemonset/agent' }),
    setup: async (w, s) => {
      registryBasics(w)
      await w.apply(daemonSet(s.app, V1))
      await w.until('the DaemonSet to run everywhere', async () => {
        const d = await w.api.get(`/apis/apps/v1/namespaces/${s.app}/daemonsets/agent`)
        const st = d.status ?? {}
        return st.desiredNumberScheduled > 0 && st.numberReady === st.desiredNumberScheduled
      })
      await w.apply(daemonSet(s.app, V2))
    }
  },
  {
    name: 'success: the migration Job completes with the built image',
    expect: 'success',
    early: true,
    timeout: '60s',
    inputs: s => ({ ...digestInputs(s), workload: 'job/migrate-42' }),
    setup: async (w, s) => {
      registryBasics(w)
      behave(w, s, V2, { program: { kind: 'exit', code: 0, after: 0.5, log: ['applied 3 migrations'] } })
      await w.apply(job(s.app, V2))
    }
  },
  {
    name: 'crash-loop: the migration Job fails (BackoffLimitExceeded) with its log tail',
    expect: 'crash-loop',
    early: true,
    timeout: '60s',
    inputs: s => ({ ...digestInputs(s), workload: 'job/migrate-42' }),
    setup: async (w, s) => {
      registryBasics(w)
      behave(w, s, V2, {
        program: { kind: 'exit', code: 1, after: 0.3, log: ['ERROR: relation "orders" already exists'] }
      })
      await w.apply(job(s.app, V2, 1))
    }
  },
  {
    name: 'crash-loop: an init container in Init:CrashLoopBackOff is named',
    expect: 'crash-loop',
    early: true,
    timeout: '60s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      const init = `${REPO}-migrate:1.4.2`
      behave(w, s, init, { program: { kind: 'exit', code: 2, after: 0.3, log: ['migration 0042 failed'] } })
      await deploy(w, s, {}, { initContainers: [{ name: 'migrate', image: init }] })
    }
  },
  {
    name: 'success: bare pods found by selector',
    expect: 'success',
    early: true,
    timeout: '60s',
    inputs: s => ({ selector: 'app=canary', namespace: s.app, 'expected-digest': `${REPO}@${NEW_DIGEST}` }),
    setup: async (w, s) => {
      registryBasics(w)
      for (const n of ['canary-a', 'canary-b']) await w.apply(barePod(s.app, n, V2, { app: 'canary' }))
    }
  },
  {
    name: 'image-pull: a bare pod found by selector cannot pull (unauthorized)',
    expect: 'image-pull',
    timeout: '8s',
    inputs: s => ({ selector: 'app=canary', namespace: s.app, 'expected-digest': `${REPO}@${NEW_DIGEST}` }),
    setup: async (w, s) => {
      behave(w, s, `${REPO}-private:1.4.2`, { pull: 'unauthorized' })
      await w.apply(barePod(s.app, 'canary-a', `${REPO}-private:1.4.2`, { app: 'canary' }))
    }
  },
  {
    name: "scheduling: a DaemonSet's new pods do not fit their nodes' memory",
    expect: 'scheduling',
    timeout: '8s',
    reason: /Insufficient memory/,
    inputs: s => ({ ...digestInputs(s), workload: 'daemonset/agent' }),
    setup: async (w, s) => {
      registryBasics(w)
      await w.apply(daemonSet(s.app, V1))
      await w.until('the DaemonSet to run everywhere', async () => {
        const d = await w.api.get(`/apis/apps/v1/namespaces/${s.app}/daemonsets/agent`)
        const st = d.status ?? {}
        return st.desiredNumberScheduled > 0 && st.numberReady === st.desiredNumberScheduled
      })
      await w.apply(daemonSet(s.app, V2, '10Gi'))
    }
  },
  {
    name: 'success: a new pod evicted for node memory pressure is replaced, and the rollout completes',
    expect: 'success',
    early: true,
    timeout: '60s',
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      behave(w, s, V2, { evict: { after: 0.3, times: 1 }, program: { kind: 'serve', readyAfter: 1 } })
      await deploy(w, s)
    }
  },
  {
    name: 'crash-loop: every replacement is evicted for memory pressure too',
    expect: 'crash-loop',
    early: true,
    timeout: '60s',
    reason: /new pods: \d+ evicted for memory pressure on nodes? /,
    inputs: digestInputs,
    setup: async (w, s) => {
      await serving(w, s)
      // Evicted while warming up, before readiness passes.
      behave(w, s, V2, { evict: { after: 0.3, times: 100 }, program: { kind: 'serve', readyAfter: 2 } })
      await deploy(w, s)
    }
  }
]
