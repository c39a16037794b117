// The decision table's stories: one or more per verdict for Deployments, StatefulSets, DaemonSets, Jobs and bare
// pods, each with the inputs a workflow would pass, the verdict it must get, and how each world tells it. The
// real control plane applies YAML and lets its controllers, scheduler and the simulated kubelets play out what the
// world's registry and machines do; the stand-in replays what the real control plane recorded doing so.
import type { RealWorld } from '../real/world.js'
import { fakeDigest } from '../world.js'
import { NEW_DIGEST, OLD_DIGEST, REPO, V1, V2, kaniko } from './images.js'
import {
  barePod,
  behave,
  buildJob,
  buildPodSpec,
  daemonSet,
  deploy,
  deployment,
  job,
  kanikoScript,
  registryBasics,
  serving,
  statefulSet,
  storyTag,
  webContainer
} from './real.js'
import { ROLLING_UPDATE, SEEDS } from './recorded.js'
import type { Inputs, Story, StoryNs } from './story.js'

const WORKER_DIGEST = fakeDigest('worker:1.4.2')

const digestInputs = (s: StoryNs): Inputs => ({
  workload: 'deployment/web',
  namespace: s.app,
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

/** The build Job's pod, found by the label the Job controller gives it. */
const buildInputs = (s: StoryNs): Inputs => ({
  workload: 'deployment/web',
  namespace: s.app,
  'build-pod': 'job-name=build-42',
  'build-namespace': s.build
})

/** db 1.4.1 rolled out on the real control plane. */
async function stsServing(
  w: RealWorld,
  s: StoryNs,
  opts: { replicas?: number; onDelete?: boolean } = {}
): Promise<void> {
  registryBasics(w)
  await w.apply(statefulSet(s.app, V1, opts))
  await w.rolledOut(s.app, 'db', 'statefulsets')
}

/** agent 1.4.1 Ready on every node it may run on. */
async function dsServing(w: RealWorld, s: StoryNs): Promise<void> {
  registryBasics(w)
  await w.apply(daemonSet(s.app, V1))
  await w.until('the DaemonSet to run everywhere', async () => {
    const d = await w.api.get(`/apis/apps/v1/namespaces/${s.app}/daemonsets/agent`)
    const st = d.status ?? {}
    return st.desiredNumberScheduled > 0 && st.numberReady === st.desiredNumberScheduled
  })
}

export const DECISION_TABLE: Story[] = [
  {
    name: ROLLING_UPDATE,
    expect: 'success',
    early: true,
    inputs: digestInputs,
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await serving(w, s, { replicas: 3 })
        await w.apply(deployment(s.app, 'web', [webContainer(V2)], { replicas: 3 }))
      }
    }
  },
  {
    name: SEEDS,
    expect: 'success',
    early: true,
    inputs: buildInputs,
    standIn: { timeout: '60s' },
    real: {
      timeout: '90s',
      setup: async (w, s) => {
        // 1.4.2 is not in the registry until this build pushes it.
        await serving(w, s, { built: false })
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
        // Not pushed yet: the registry answers 1.4.2 here only after this build pushes it (not after another
        // story's push in a world that runs several at once).
        w.registry.set(V2, { pull: 'not-found', pushedAfter: Date.now() }, s.app)
        await buildJob(w, s, V2)
      },
      then: async (w, s) => {
        // The pipeline deploys once the build has pushed; the new release asks for more memory than any
        // node has free, so it waits for the autoscaler's new node.
        await w.until('the build to push', async () => w.registry.resolve(V2, s.app) === NEW_DIGEST, 60_000)
        behave(w, s, V2, { program: { kind: 'serve', readyAfter: 1 } })
        await deploy(w, s, { resources: { requests: { cpu: '100m', memory: '12Gi' } } })
      }
    }
  },
  {
    name: 'build-failed: the build pod exits without a Pushed line',
    expect: 'build-failed',
    early: true,
    inputs: s => ({
      workload: 'deployment/web',
      namespace: s.app,
      'build-pod': 'build-42',
      'build-namespace': s.build
    }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
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
    }
  },
  {
    name: 'scheduling: pods Pending on taints and affinity, the autoscaler will not help',
    expect: 'scheduling',
    inputs: digestInputs,
    standIn: { timeout: '3s' },
    real: {
      timeout: '8s',
      reason:
        /untolerated taint.*node affinity\/selector on \d\/\d nodes; the cluster-autoscaler will not add a node/,
      setup: async (w, s) => {
        await serving(w, s)
        await deploy(w, s, {}, { nodeSelector: { pool: 'gpu' } })
      }
    }
  },
  {
    name: 'scheduling: the new pods ask for more memory than any node has',
    expect: 'scheduling',
    inputs: digestInputs,
    real: {
      timeout: '8s',
      setup: async (w, s) => {
        await serving(w, s)
        await deploy(w, s, { resources: { requests: { cpu: '100m', memory: '64Gi' } } })
      }
    }
  },
  {
    name: 'scheduling: a PersistentVolumeClaim that nothing can bind',
    expect: 'scheduling',
    inputs: digestInputs,
    real: {
      timeout: '8s',
      reason:
        /pod has unbound immediate PersistentVolumeClaims on \d+\/\d+ nodes; the cluster-autoscaler will not add a node/,
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
    }
  },
  {
    name: 'stale: the pods run another digest than was built',
    expect: 'stale',
    early: true,
    inputs: s => ({ ...digestInputs(s), grace: '1s' }),
    standIn: { timeout: '30s' },
    real: { timeout: '60s', setup: async (w, s) => serving(w, s) }
  },
  {
    name: 'network: FailedCreatePodSandBox, the CNI cannot assign an IP',
    expect: 'network',
    inputs: digestInputs,
    standIn: { timeout: '8s' },
    real: {
      timeout: '8s',
      setup: async (w, s) => {
        await serving(w, s)
        w.kubelets.sandboxFailures.set(
          s.app,
          'rpc error: code = Unknown desc = failed to setup network for sandbox "6f1c0d9e2b7a": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container'
        )
        await deploy(w, s)
      }
    }
  },
  {
    name: 'image-pull: the tag does not exist (ImagePullBackOff)',
    expect: 'image-pull',
    inputs: digestInputs,
    standIn: { timeout: '3s' },
    real: {
      timeout: '8s',
      setup: async (w, s) => {
        await serving(w, s)
        behave(w, s, `${REPO}:1.4.3`, { pull: 'not-found' })
        await deploy(w, s, { image: `${REPO}:1.4.3` })
      }
    }
  },
  {
    name: 'image-pull: InvalidImageName ends the wait at once',
    expect: 'image-pull',
    early: true,
    inputs: digestInputs,
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await serving(w, s)
        await deploy(w, s, { image: 'Registry.example.com/shop/web:1.4.2' })
      }
    }
  },
  {
    name: 'config-error: CreateContainerConfigError for a missing Secret',
    expect: 'config-error',
    inputs: digestInputs,
    standIn: { timeout: '8s' },
    real: {
      timeout: '8s',
      setup: async (w, s) => {
        await serving(w, s)
        await deploy(w, s, {
          env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } }]
        })
      }
    }
  },
  {
    name: 'crash-loop: the container exits three times (ends early, with the last log lines)',
    expect: 'crash-loop',
    early: true,
    inputs: digestInputs,
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
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
    }
  },
  {
    name: 'crash-loop: OOMKilled',
    expect: 'crash-loop',
    early: true,
    inputs: digestInputs,
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await serving(w, s)
        behave(w, s, V2, { program: { kind: 'exit', code: 137, reason: 'OOMKilled', after: 0.3 } })
        await deploy(w, s)
      }
    }
  },
  {
    name: 'unhealthy: running, readiness never passes',
    expect: 'unhealthy',
    inputs: digestInputs,
    standIn: { timeout: '8s' },
    real: {
      timeout: '8s',
      setup: async (w, s) => {
        await serving(w, s)
        behave(w, s, V2, {
          program: { kind: 'serve', neverReady: { probe: 'HTTP probe failed with statuscode: 503' } }
        })
        await deploy(w, s)
      }
    }
  },
  {
    name: 'not-found: the workload does not exist',
    expect: 'not-found',
    early: true,
    inputs: s => ({ ...digestInputs(s), workload: 'deployment/webb', grace: '1s' }),
    standIn: { timeout: '30s' },
    real: { timeout: '60s', setup: async (w, s) => serving(w, s) }
  },
  {
    name: 'unreachable: the token may not read the namespace (403)',
    expect: 'unreachable',
    early: true,
    inputs: digestInputs,
    real: {
      timeout: '60s',
      reason: /deployments\.apps "web" is forbidden: User "system:serviceaccount:[^"]+:deployer" cannot list/,
      credentials: 'no-rbac',
      setup: async (w, s) => serving(w, s)
    }
  },
  {
    name: 'unreachable: the apiserver refuses the token (401)',
    expect: 'unreachable',
    early: true,
    inputs: digestInputs,
    real: { timeout: '60s', credentials: 'invalid', setup: async (w, s) => serving(w, s) }
  },
  {
    name: 'success: StatefulSet rolling update, highest ordinal first',
    expect: 'success',
    early: true,
    inputs: s => ({ ...digestInputs(s), workload: 'statefulset/db' }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await stsServing(w, s)
        await w.apply(statefulSet(s.app, V2))
      }
    }
  },
  {
    name: 'crash-loop: StatefulSet pod db-2 crash-loops and holds up the ordered rollout',
    expect: 'crash-loop',
    early: true,
    inputs: s => ({ ...digestInputs(s), workload: 'statefulset/db' }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await stsServing(w, s)
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
    }
  },
  {
    name: 'stale: StatefulSet with updateStrategy OnDelete keeps its old pods',
    expect: 'stale',
    early: true,
    inputs: s => ({ ...digestInputs(s), workload: 'statefulset/db', grace: '1s' }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await stsServing(w, s, { replicas: 2, onDelete: true })
        await w.apply(statefulSet(s.app, V2, { replicas: 2, onDelete: true }))
      }
    }
  },
  {
    name: 'success: DaemonSet rolls out to every node',
    expect: 'success',
    early: true,
    inputs: s => ({ ...digestInputs(s), workload: 'daemonset/agent' }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await dsServing(w, s)
        await w.apply(daemonSet(s.app, V2))
      }
    }
  },
  {
    name: "scheduling: a DaemonSet pod does not fit its node's memory",
    expect: 'scheduling',
    inputs: s => ({ ...digestInputs(s), workload: 'daemonset/agent' }),
    standIn: { timeout: '8s' },
    real: {
      timeout: '8s',
      reason: /Insufficient memory/,
      setup: async (w, s) => {
        await dsServing(w, s)
        await w.apply(daemonSet(s.app, V2, '10Gi'))
      }
    }
  },
  {
    name: 'success: the migration Job completes with the built image',
    expect: 'success',
    early: true,
    inputs: s => ({ ...digestInputs(s), workload: 'job/migrate-42' }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        registryBasics(w)
        behave(w, s, V2, { program: { kind: 'exit', code: 0, after: 0.5, log: ['applied 3 migrations'] } })
        await w.apply(job(s.app, V2))
      }
    }
  },
  {
    name: 'crash-loop: the migration Job fails (BackoffLimitExceeded) with its log tail',
    expect: 'crash-loop',
    early: true,
    inputs: s => ({ ...digestInputs(s), workload: 'job/migrate-42' }),
    standIn: { timeout: '60s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        registryBasics(w)
        behave(w, s, V2, {
          program: { kind: 'exit', code: 1, after: 0.3, log: ['ERROR: relation "orders" already exists'] }
        })
        await w.apply(job(s.app, V2, 1))
      }
    }
  },
  {
    name: 'crash-loop: an init container in Init:CrashLoopBackOff is named',
    expect: 'crash-loop',
    early: true,
    inputs: digestInputs,
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await serving(w, s)
        const init = `${REPO}-migrate:1.4.2`
        behave(w, s, init, { program: { kind: 'exit', code: 2, after: 0.3, log: ['migration 0042 failed'] } })
        await deploy(w, s, {}, { initContainers: [{ name: 'migrate', image: init }] })
      }
    }
  },
  {
    name: 'success: bare pods found by selector',
    expect: 'success',
    early: true,
    inputs: s => ({ selector: 'app=canary', namespace: s.app, 'expected-digest': `${REPO}@${NEW_DIGEST}` }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        registryBasics(w)
        for (const n of ['canary-a', 'canary-b']) await w.apply(barePod(s.app, n, V2, { app: 'canary' }))
      }
    }
  },
  {
    name: 'image-pull: a bare pod found by selector cannot pull (unauthorized)',
    expect: 'image-pull',
    inputs: s => ({ selector: 'app=canary', namespace: s.app, 'expected-digest': `${REPO}@${NEW_DIGEST}` }),
    standIn: { timeout: '3s' },
    real: {
      timeout: '8s',
      setup: async (w, s) => {
        behave(w, s, `${REPO}-private:1.4.2`, { pull: 'unauthorized' })
        await w.apply(barePod(s.app, 'canary-a', `${REPO}-private:1.4.2`, { app: 'canary' }))
      }
    }
  },
  {
    name: 'success: a new pod evicted for node memory pressure is replaced, and the rollout completes',
    expect: 'success',
    early: true,
    inputs: digestInputs,
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await serving(w, s)
        behave(w, s, V2, { evict: { after: 0.3, times: 1 }, program: { kind: 'serve', readyAfter: 1 } })
        await deploy(w, s)
      }
    }
  },
  {
    name: 'crash-loop: every replacement is evicted for memory pressure too',
    expect: 'crash-loop',
    early: true,
    inputs: digestInputs,
    real: {
      timeout: '60s',
      reason: /new pods: \d+ evicted for memory pressure on nodes? /,
      setup: async (w, s) => {
        await serving(w, s)
        // Evicted while warming up, before readiness passes.
        behave(w, s, V2, { evict: { after: 0.3, times: 100 }, program: { kind: 'serve', readyAfter: 2 } })
        await deploy(w, s)
      }
    }
  },
  {
    name: 'success: two built images in one pod, each checked (container=digest pairs)',
    expect: 'success',
    early: true,
    inputs: s => ({
      workload: 'deployment/web',
      namespace: s.app,
      'expected-digest': `web=${NEW_DIGEST},worker=${REPO}-worker@${WORKER_DIGEST}`
    }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        // Both images of each build: web's under the shop's digests, the worker's under its own.
        registryBasics(w)
        w.registry.push(`${REPO}-worker:1.4.1`, fakeDigest('worker:1.4.1'))
        w.registry.push(`${REPO}-worker:1.4.2`, WORKER_DIGEST)
        const pair = (tag: string) => [
          webContainer(`${REPO}:${tag}`),
          {
            name: 'worker',
            image: `${REPO}-worker:${tag}`,
            resources: { requests: { cpu: '100m', memory: '64Mi' } }
          }
        ]
        await w.apply(deployment(s.app, 'web', pair('1.4.1')))
        await w.rolledOut(s.app, 'web')
        await w.apply(deployment(s.app, 'web', pair('1.4.2')))
      }
    }
  },
  {
    name: 'timeout: the build still runs at the deadline; the new pod waits for the tag it will push',
    expect: 'timeout',
    inputs: buildInputs,
    standIn: { timeout: '3s' },
    real: {
      timeout: '8s',
      reason:
        /^deadline of 8s passed while still waiting for the build pod \S+\/build-42-\w+ to push registry\.example\.com\/shop\/web:1\.5\.0-\d+ \(the new pod cannot pull it until then\)$/,
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
    }
  },
  {
    name: 'image-pull: the build pushed, and the new pod still cannot pull its tag (the registry refuses)',
    expect: 'image-pull',
    inputs: buildInputs,
    real: {
      timeout: '20s',
      // Refused while the build ran (a repository not pushed yet may be answered so): waiting. Refused again when
      // the kubelet pulls after its 10 s back-off, after the push: image-pull.
      reason:
        /container web cannot pull its image: the repository does not exist or needs credentials \(still so at the 20s deadline\)$/,
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
    }
  },
  {
    name: 'timeout: still pulling a large image at the deadline',
    expect: 'timeout',
    inputs: s => ({ ...digestInputs(s) }),
    standIn: { timeout: '8s' },
    real: {
      timeout: '8s',
      reason: /^deadline of 8s passed while still waiting for the new pod to become Ready$/,
      setup: async (w, s) => {
        await serving(w, s)
        // The kubelet is still pulling 1.4.2 at the deadline (a large image on a slow link).
        behave(w, s, V2, { pullSeconds: 600 })
        await deploy(w, s)
      }
    }
  },
  {
    name: 'timeout: the Deployment exceeds its progressDeadlineSeconds (ends early)',
    expect: 'timeout',
    early: true,
    inputs: digestInputs,
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await serving(w, s)
        behave(w, s, V2, { pullSeconds: 600 })
        await w.apply({
          ...deployment(s.app, 'web', [webContainer(V2)], { spec: { progressDeadlineSeconds: 3 } })
        })
      }
    }
  },
  {
    name: 'success: a Deployment scaled to zero rolls out, but nothing ran (the image is not verified)',
    expect: 'success',
    early: true,
    inputs: s => ({ ...digestInputs(s) }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      setup: async (w, s) => {
        await serving(w, s, { replicas: 0 })
        await w.apply(deployment(s.app, 'web', [webContainer(V2)], { replicas: 0 }))
      }
    }
  },
  {
    name: 'crash-loop: the kubelet kills the container for its liveness probe (named, with the probe message)',
    expect: 'crash-loop',
    early: true,
    inputs: s => ({ ...digestInputs(s) }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      reason:
        /the kubelet killed it because its liveness probe failed \(Liveness probe failed: HTTP probe failed with statuscode: 500\)/,
      setup: async (w, s) => {
        await serving(w, s)
        behave(w, s, V2, {
          program: {
            kind: 'serve',
            log: [
              'listening on :8080',
              'GET /healthz 500 2ms: database pool exhausted (10/10 connections busy)'
            ],
            livenessFails: { probe: 'HTTP probe failed with statuscode: 500' }
          }
        })
        await deploy(w, s, {
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 3 }
        })
      }
    }
  },
  {
    name: 'stale: the manifest pins the old digest (image: repo@sha256:…), so a redeploy changes nothing',
    expect: 'stale',
    early: true,
    inputs: s => ({ ...digestInputs(s), grace: '1s' }),
    standIn: { timeout: '30s' },
    real: {
      timeout: '60s',
      reason:
        /its pod template pins registry\.example\.com\/shop\/web@sha256:[0-9a-f]+ \(container web\), so a redeploy runs the same digest/,
      setup: async (w, s) => {
        registryBasics(w)
        const pinned = deployment(s.app, 'web', [webContainer(`${REPO}@${OLD_DIGEST}`)])
        await w.apply(pinned)
        await w.rolledOut(s.app, 'web')
        // The deploy step applies the same manifest again: the template is unchanged, so no new pod.
        await w.apply(pinned)
      }
    }
  }
]
