// One scenario per row of the decision table, with the inputs a workflow would pass and the verdict it must get.
import { fakeDigest, type World } from '../world.js'
import { NEW_DIGEST, OLD_DIGEST, REPO, kaniko } from './images.js'
import {
  BUILD_NS,
  NS,
  Scenario,
  baseWorld,
  deployNew,
  livenessKill,
  pinnedWorld,
  recordAutoscaler,
  rollingUpdate,
  seedsTimeline,
  startBuild
} from './stand-in.js'

export interface Case {
  name: string
  scenario: () => Scenario
  inputs: Record<string, string>
  expect: string
  /** The verdict must come before the deadline (it ends the wait early). */
  early?: boolean
}

const pod = (w: World): string => w.newPods(NS, 'web')[0]!
const WORKER_DIGEST = fakeDigest('worker:1.4.2')
const digestInputs = { workload: 'deployment/web', namespace: NS, 'expected-digest': `${REPO}@${NEW_DIGEST}` }

/** Deploy 1.4.2 and bind the new pod to a node: the start of most failure stories. */
function deployedAndBound(name: string): Scenario {
  return new Scenario(name).at(0, 'web 1.4.1 serving; deploy 1.4.2; the new pod is bound to node-2', w => {
    baseWorld(w)
    deployNew(w)
    w.schedule(pod(w), NS, 'node-2')
  })
}

export const CASES: Case[] = [
  {
    name: 'success: rolling update of 3 replicas to the built digest',
    scenario: () => rollingUpdate(3),
    inputs: { ...digestInputs, timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: "success: the seeds' timeline (build pushes at 90 s, autoscaler adds a node, ready at 110 s)",
    scenario: seedsTimeline,
    inputs: {
      workload: 'deployment/web',
      namespace: NS,
      'build-pod': 'job-name=build-42',
      'build-namespace': BUILD_NS,
      timeout: '60s'
    },
    expect: 'success',
    early: true
  },
  {
    name: 'build-failed: the build pod exits without a Pushed line',
    scenario: () =>
      new Scenario('build-failed')
        .at(0, 'web 1.4.1 serving; build-42 starts', w => {
          baseWorld(w)
          startBuild(w)
        })
        .at(1, 'build: npm run build fails; Kaniko exits 1', w => {
          w.buildLog(
            'build-42',
            BUILD_NS,
            kaniko(40, 'RUN npm ci && npm run build'),
            "src/server.ts(12,7): error TS2322: Type 'string' is not assignable to type 'number'.",
            kaniko(
              52,
              'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 2',
              'ERRO'
            )
          )
          w.buildEnds('build-42', BUILD_NS, 1)
        }),
    inputs: {
      workload: 'deployment/web',
      namespace: NS,
      'build-pod': 'build-42',
      'build-namespace': BUILD_NS,
      timeout: '30s'
    },
    expect: 'build-failed',
    early: true
  },
  {
    name: 'scheduling: pods Pending on taints and affinity, the autoscaler will not help',
    scenario: () =>
      new Scenario('scheduling').at(0, 'deploy 1.4.2; the scheduler finds no node', w => {
        baseWorld(w)
        deployNew(w)
        w.unschedulable(
          pod(w),
          NS,
          "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        )
        recordAutoscaler(
          w,
          pod(w),
          'Normal',
          'NotTriggerScaleUp',
          "pod didn't trigger scale-up: 2 node(s) didn't match Pod's node affinity/selector, 1 max node group size reached"
        )
      }),
    inputs: { ...digestInputs, timeout: '3s' },
    expect: 'scheduling'
  },
  {
    name: 'stale: the pods run another digest than was built',
    scenario: () =>
      new Scenario('stale').at(0, 'web serves 1.4.1; nobody rolled out the new build', w => baseWorld(w)),
    inputs: { ...digestInputs, timeout: '30s', grace: '1s' },
    expect: 'stale',
    early: true
  },
  {
    name: 'network: FailedCreatePodSandBox, the CNI cannot assign an IP',
    scenario: () =>
      deployedAndBound('network').at(0.5, 'kubelet: FailedCreatePodSandBox (aws-cni, no IP)', w => {
        for (let i = 0; i < 3; i++) {
          w.kubeletEvent(pod(w), NS, {
            type: 'Warning',
            reason: 'FailedCreatePodSandBox',
            message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "6f1c0d9e2b7a": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container`
          })
        }
      }),
    inputs: { ...digestInputs, timeout: '3s' },
    expect: 'network'
  },
  {
    name: 'image-pull: the tag does not exist (ImagePullBackOff)',
    scenario: () =>
      deployedAndBound('image-pull').at(0.5, 'kubelet: ErrImagePull, then ImagePullBackOff', w => {
        const msg = `Failed to pull image "${REPO}:1.4.2": rpc error: code = NotFound desc = failed to pull and unpack image "${REPO}:1.4.2": failed to resolve reference "${REPO}:1.4.2": ${REPO}:1.4.2: not found`
        w.kubeletEvent(pod(w), NS, { type: 'Warning', reason: 'Failed', message: msg, container: 'web' })
        w.waiting(pod(w), NS, 'web', 'ImagePullBackOff', `Back-off pulling image "${REPO}:1.4.2"`)
      }),
    inputs: { ...digestInputs, timeout: '3s' },
    expect: 'image-pull'
  },
  {
    name: 'image-pull: InvalidImageName ends the wait at once',
    scenario: () =>
      deployedAndBound('invalid-image').at(0.5, 'kubelet: InvalidImageName', w =>
        w.waiting(
          pod(w),
          NS,
          'web',
          'InvalidImageName',
          `Failed to apply default image tag "Registry.example.com/shop/web:1.4.2": couldn't parse image name "Registry.example.com/shop/web:1.4.2": invalid reference format: repository name must be lowercase`
        )
      ),
    inputs: { ...digestInputs, timeout: '30s' },
    expect: 'image-pull',
    early: true
  },
  {
    name: 'config-error: CreateContainerConfigError for a missing Secret',
    scenario: () =>
      deployedAndBound('config-error').at(0.5, 'kubelet: secret "db-creds" not found', w =>
        w.waiting(pod(w), NS, 'web', 'CreateContainerConfigError', 'secret "db-creds" not found')
      ),
    inputs: { ...digestInputs, timeout: '3s' },
    expect: 'config-error'
  },
  {
    name: 'crash-loop: the container exits three times (ends early, with the last log lines)',
    scenario: () => {
      const s = deployedAndBound('crash-loop').at(0.3, 'kubelet: container starts', w =>
        w.start(pod(w), NS, { ready: false })
      )
      for (let i = 1; i <= 3; i++) {
        s.at(0.3 + i * 0.4, `container exits 1 (restart ${i})`, w =>
          w.crash(pod(w), NS, 'web', {
            exitCode: 1,
            log: [
              'Error: connect ECONNREFUSED 10.96.0.12:5432',
              '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)'
            ]
          })
        )
      }
      return s
    },
    inputs: { ...digestInputs, timeout: '30s' },
    expect: 'crash-loop',
    early: true
  },
  {
    name: 'unhealthy: running, readiness never passes',
    scenario: () =>
      deployedAndBound('unhealthy')
        .at(0.3, 'kubelet: container starts, not ready', w => w.start(pod(w), NS, { ready: false }))
        .at(0.6, 'kubelet: Readiness probe failed: HTTP 503', w => {
          for (let i = 0; i < 4; i++)
            w.kubeletEvent(pod(w), NS, {
              type: 'Warning',
              reason: 'Unhealthy',
              message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
              container: 'web'
            })
        }),
    inputs: { ...digestInputs, timeout: '3s' },
    expect: 'unhealthy'
  },
  {
    name: 'not-found: the workload does not exist',
    scenario: () => new Scenario('not-found').at(0, 'web exists; the input names "webb"', w => baseWorld(w)),
    inputs: { ...digestInputs, workload: 'deployment/webb', timeout: '30s', grace: '1s' },
    expect: 'not-found',
    early: true
  },
  {
    name: 'success: StatefulSet rolling update, highest ordinal first',
    scenario: () =>
      new Scenario('sts-rolling')
        .at(0, 'db 1.4.1 (3 pods); apply 1.4.2', w => {
          for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
          w.statefulSet({
            name: 'db',
            namespace: NS,
            replicas: 3,
            containers: [{ name: 'db', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
          })
          w.stsRollout(NS, 'db', { db: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST } })
        })
        .at(0.5, 'db-2 replaced', w => w.stsReplace(NS, 'db', 2))
        .at(1, 'db-1 replaced', w => w.stsReplace(NS, 'db', 1))
        .at(1.5, 'db-0 replaced; rollout complete', w => w.stsReplace(NS, 'db', 0))
        .settles(),
    inputs: { ...digestInputs, workload: 'statefulset/db', timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: 'crash-loop: StatefulSet pod db-2 crash-loops and holds up the ordered rollout',
    scenario: () =>
      new Scenario('sts-crash')
        .at(0, 'db 1.4.1; apply 1.4.2; db-2 replaced, not Ready', w => {
          for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
          w.statefulSet({
            name: 'db',
            namespace: NS,
            replicas: 3,
            containers: [{ name: 'db', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
          })
          w.stsRollout(NS, 'db', { db: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST } })
          w.stsReplace(NS, 'db', 2, { ready: false })
        })
        .at(0.4, 'db-2 exits (1)', w =>
          w.crash('db-2', NS, 'db', {
            log: ['FATAL: could not open data directory "/var/lib/data": Permission denied']
          })
        )
        .at(0.8, 'db-2 exits (2)', w => w.crash('db-2', NS, 'db'))
        .at(1.2, 'db-2 exits (3)', w => w.crash('db-2', NS, 'db')),
    inputs: { ...digestInputs, workload: 'statefulset/db', timeout: '30s' },
    expect: 'crash-loop',
    early: true
  },
  {
    name: 'stale: StatefulSet with updateStrategy OnDelete keeps its old pods',
    scenario: () =>
      new Scenario('sts-ondelete').at(0, 'db (OnDelete) gets 1.4.2; nobody deletes the pods', w => {
        for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
        w.statefulSet({
          name: 'db',
          namespace: NS,
          replicas: 2,
          updateStrategy: 'OnDelete',
          containers: [{ name: 'db', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
        })
        w.stsRollout(NS, 'db', { db: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST } })
      }),
    inputs: { ...digestInputs, workload: 'statefulset/db', timeout: '30s', grace: '1s' },
    expect: 'stale',
    early: true
  },
  {
    name: 'success: DaemonSet rolls out to every node',
    scenario: () =>
      new Scenario('ds-rolling')
        .at(0, 'agent 1.4.1 on 3 nodes; apply 1.4.2', w => {
          for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
          w.daemonSet({
            name: 'agent',
            namespace: NS,
            containers: [{ name: 'agent', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
          })
          w.dsRollout(NS, 'agent', { agent: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST } })
        })
        .at(0.5, 'node-1 and node-2 updated', w => ['node-1', 'node-2'].forEach(n => w.dsPod(NS, 'agent', n)))
        .at(1, 'node-3 updated; rollout complete', w => w.dsPod(NS, 'agent', 'node-3'))
        .settles(),
    inputs: { ...digestInputs, workload: 'daemonset/agent', timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: "scheduling: a DaemonSet pod does not fit its node's memory",
    scenario: () =>
      // A real DaemonSet controller creates no pod for a node whose taint it does not tolerate; what leaves a
      // daemon pod Pending is its node lacking room (the other nodes fail the pod's node affinity). The message
      // is kube-scheduler 1.36's, read off the real control plane.
      new Scenario('ds-memory').at(0, 'agent on 3 nodes; apply 1.4.2; node-3 has no memory left', w => {
        for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
        w.daemonSet({
          name: 'agent',
          namespace: NS,
          containers: [{ name: 'agent', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
        })
        w.dsRollout(NS, 'agent', { agent: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST } })
        ;['node-1', 'node-2'].forEach(n => w.dsPod(NS, 'agent', n))
        w.dsPod(NS, 'agent', 'node-3', {
          unschedulable:
            "0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
        })
      }),
    inputs: { ...digestInputs, workload: 'daemonset/agent', timeout: '3s' },
    expect: 'scheduling'
  },
  {
    name: 'success: the migration Job completes with the built image',
    scenario: () =>
      new Scenario('job-ok')
        .at(0, 'job migrate-42 starts', w => {
          w.node('node-1')
          w.job({
            name: 'migrate-42',
            namespace: NS,
            containers: [{ name: 'migrate', image: `${REPO}:1.4.2`, digest: NEW_DIGEST }]
          })
        })
        .at(0.5, 'migrate exits 0', w => w.jobPodExits(NS, 'migrate-42', 0, ['applied 3 migrations']))
        .settles(),
    inputs: { ...digestInputs, workload: 'job/migrate-42', timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: 'crash-loop: the migration Job fails (BackoffLimitExceeded) with its log tail',
    scenario: () =>
      new Scenario('job-failed')
        .at(0, 'job migrate-42 starts (backoffLimit 1)', w => {
          w.node('node-1')
          w.job({
            name: 'migrate-42',
            namespace: NS,
            backoffLimit: 1,
            containers: [{ name: 'migrate', image: `${REPO}:1.4.2`, digest: NEW_DIGEST }]
          })
        })
        .at(0.4, 'attempt 1 exits 1; retried', w =>
          w.jobPodExits(NS, 'migrate-42', 1, ['ERROR: relation "orders" already exists'])
        )
        .at(0.8, 'attempt 2 exits 1; the Job fails', w =>
          w.jobPodExits(NS, 'migrate-42', 1, ['ERROR: relation "orders" already exists'])
        ),
    inputs: { ...digestInputs, workload: 'job/migrate-42', timeout: '30s' },
    expect: 'crash-loop',
    early: true
  },
  {
    name: 'crash-loop: an init container in Init:CrashLoopBackOff is named',
    scenario: () =>
      deployedAndBound('init-crash').at(0.3, 'init container migrate crash-loops (3 restarts)', w => {
        const p = w.pod(pod(w), NS)
        p.spec.initContainers = [{ name: 'migrate', image: `${REPO}:1.4.2` }]
        p.status.initContainerStatuses = [
          {
            name: 'migrate',
            image: `${REPO}:1.4.2`,
            imageID: `${REPO}@${NEW_DIGEST}`,
            ready: false,
            restartCount: 3,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 40s restarting failed container=migrate pod=${p.metadata.name}_${NS}(${p.metadata.uid})`
              }
            },
            lastState: { terminated: { exitCode: 2, reason: 'Error' } }
          }
        ]
        p.status.containerStatuses![0]!.state = { waiting: { reason: 'PodInitializing' } }
        w.store.put(p)
      }),
    inputs: { ...digestInputs, timeout: '30s' },
    expect: 'crash-loop',
    early: true
  },
  {
    name: 'success: bare pods found by selector',
    scenario: () =>
      new Scenario('pods-ok')
        .at(0, 'two canary pods (app=canary) are created', w => {
          w.node('node-1')
          for (const n of ['canary-a', 'canary-b'])
            w.barePod({
              name: n,
              namespace: NS,
              labels: { app: 'canary' },
              containers: [{ name: 'web', image: `${REPO}:1.4.2`, digest: NEW_DIGEST }]
            })
        })
        .at(0.5, 'both run and pass readiness', w =>
          ['canary-a', 'canary-b'].forEach(n => {
            w.schedule(n, NS, 'node-1')
            w.start(n, NS)
          })
        )
        .settles(),
    inputs: {
      selector: 'app=canary',
      namespace: NS,
      'expected-digest': `${REPO}@${NEW_DIGEST}`,
      timeout: '30s'
    },
    expect: 'success',
    early: true
  },
  {
    name: 'image-pull: a bare pod found by selector cannot pull (unauthorized)',
    scenario: () =>
      new Scenario('pods-pull').at(0, 'canary-a cannot pull: 401', w => {
        w.node('node-1')
        w.barePod({
          name: 'canary-a',
          namespace: NS,
          labels: { app: 'canary' },
          containers: [{ name: 'web', image: `${REPO}:1.4.2`, digest: NEW_DIGEST }]
        })
        w.schedule('canary-a', NS, 'node-1')
        w.waiting(
          'canary-a',
          NS,
          'web',
          'ErrImagePull',
          `failed to pull and unpack image "${REPO}:1.4.2": failed to resolve reference "${REPO}:1.4.2": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized`
        )
      }),
    inputs: {
      selector: 'app=canary',
      namespace: NS,
      'expected-digest': `${REPO}@${NEW_DIGEST}`,
      timeout: '3s'
    },
    expect: 'image-pull'
  },
  {
    name: 'success: a Knative Service serves its new revision',
    scenario: () =>
      new Scenario('ksvc-ok')
        .at(0, 'ksvc web at web-00001; deploy 1.4.2 (web-00002, not Ready)', w => {
          w.node('node-1')
          w.knativeService({
            name: 'web',
            namespace: NS,
            container: { name: 'user-container', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }
          })
          w.ksvcDeploy(NS, 'web', `${REPO}:1.4.2`, NEW_DIGEST)
        })
        .at(0.8, 'web-00002 Ready; traffic moves', w => {
          const pod = w.store
            .list('pods', NS)
            .find(p => p.metadata.labels?.['serving.knative.dev/revision'] === 'web-00002')!
          w.start(pod.metadata.name, NS)
          w.ksvcStatus(NS, 'web', { ready: 'web-00002', readyStatus: 'True' })
        })
        .settles(),
    inputs: { ...digestInputs, workload: 'ksvc/web', timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: 'image-pull: a Knative revision fails, its image cannot be pulled',
    scenario: () =>
      new Scenario('ksvc-pull')
        .at(0, 'ksvc web; deploy a tag that does not exist', w => {
          w.node('node-1')
          w.knativeService({
            name: 'web',
            namespace: NS,
            container: { name: 'user-container', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }
          })
          const pod = w.ksvcDeploy(NS, 'web', `${REPO}:1.4.2`, NEW_DIGEST)
          w.waiting(pod, NS, 'user-container', 'ImagePullBackOff', `Back-off pulling image "${REPO}:1.4.2"`)
        })
        .at(0.5, 'Knative gives up on the revision', w =>
          w.ksvcStatus(NS, 'web', {
            readyStatus: 'False',
            reason: 'RevisionFailed',
            message: `Revision "web-00002" failed with message: Unable to fetch image "${REPO}:1.4.2": failed to resolve image to digest: GET https://registry.example.com/v2/shop/web/manifests/1.4.2: MANIFEST_UNKNOWN: manifest unknown.`
          })
        ),
    inputs: { ...digestInputs, workload: 'ksvc/web', timeout: '30s' },
    expect: 'image-pull',
    early: true
  },
  {
    name: 'success: an Argo Rollout canary is promoted and Healthy',
    scenario: () =>
      new Scenario('ro-ok')
        .at(0, 'rollout web Healthy (2 pods); deploy 1.4.2: the canary pod comes up', w => {
          w.node('node-1')
          w.argoRollout({
            name: 'web',
            namespace: NS,
            replicas: 2,
            container: { name: 'web', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }
          })
          w.roDeploy(NS, 'web', `${REPO}:1.4.2`, NEW_DIGEST)
        })
        .at(0.8, 'promoted: the second pod; Healthy', w => {
          w.roPod(
            NS,
            'web',
            w.store.find('Rollout', NS, 'web')!.status
              ? (w.store.find('Rollout', NS, 'web')!.status as { currentPodHash: string }).currentPodHash
              : '',
            true
          )
          const hash = (w.store.find('Rollout', NS, 'web')!.status as { currentPodHash: string })
            .currentPodHash
          w.roStatus(NS, 'web', { phase: 'Healthy', stable: hash })
        })
        .settles(),
    inputs: { ...digestInputs, workload: 'rollout/web', timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: 'timeout: an Argo Rollout paused at a canary step is waiting, not failing',
    scenario: () =>
      new Scenario('ro-paused').at(0, 'rollout web: canary at 20%, paused for a person', w => {
        w.node('node-1')
        w.argoRollout({
          name: 'web',
          namespace: NS,
          replicas: 2,
          container: { name: 'web', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }
        })
        w.roDeploy(NS, 'web', `${REPO}:1.4.2`, NEW_DIGEST)
        w.roStatus(NS, 'web', { phase: 'Paused', message: 'CanaryPauseStep', step: 1 })
      }),
    inputs: { ...digestInputs, workload: 'rollout/web', timeout: '3s' },
    expect: 'timeout'
  },
  {
    name: 'unhealthy: an Argo Rollout is aborted (Degraded)',
    scenario: () =>
      new Scenario('ro-degraded').at(0, 'rollout web: the analysis fails and the rollout aborts', w => {
        w.node('node-1')
        w.argoRollout({
          name: 'web',
          namespace: NS,
          replicas: 2,
          container: { name: 'web', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }
        })
        w.roDeploy(NS, 'web', `${REPO}:1.4.2`, NEW_DIGEST)
        w.roStatus(NS, 'web', {
          phase: 'Degraded',
          message:
            'RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)'
        })
      }),
    inputs: { ...digestInputs, workload: 'rollout/web', timeout: '30s' },
    expect: 'unhealthy',
    early: true
  },
  {
    name: 'success: a KServe InferenceService serves its new predictor revision',
    scenario: () =>
      new Scenario('isvc-ok')
        .at(
          0,
          'isvc fraud at fraud-predictor-00001; deploy model server 1.4.2 (revision 00002, not Ready)',
          w => {
            w.node('node-1')
            w.inferenceService({
              name: 'fraud',
              namespace: NS,
              predictor: {
                containers: [{ name: 'kserve-container', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
              }
            })
            w.isvcDeploy(NS, 'fraud', `${REPO}:1.4.2`, NEW_DIGEST)
          }
        )
        .at(0.8, 'fraud-predictor-00002 Ready; KServe marks the InferenceService Ready', w => {
          w.start(w.isvcPod(NS, 'fraud', 'fraud-predictor-00002'), NS)
          w.isvcStatus(NS, 'fraud', { ready: 'True' })
        })
        .settles(),
    inputs: { ...digestInputs, workload: 'isvc/fraud', timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: 'crash-loop: a KServe model cannot be loaded (storage-initializer, ModelLoadFailed)',
    scenario: () =>
      new Scenario('isvc-model')
        .at(0, 'isvc iris serves model v1; deploy v2 from a path that holds no model', w => {
          w.node('node-1')
          w.inferenceService({
            name: 'iris',
            namespace: NS,
            predictor: {
              model: {
                storageUri: 'gs://models-shop/iris/v1',
                runtimeImage: 'docker.io/kserve/sklearnserver:v0.14.0'
              }
            }
          })
          w.isvcModel(NS, 'iris', 'gs://models-shop/iris/v2')
        })
        .at(0.5, 'the storage initializer finds no model; KServe records the failed load', w => {
          const message = 'RuntimeError: Failed to fetch model. No model found in gs://models-shop/iris/v2.'
          w.initCrash(w.isvcPod(NS, 'iris', 'iris-predictor-00002'), NS, 'storage-initializer', message)
          w.isvcStatus(NS, 'iris', {
            ready: 'Unknown',
            failure: { reason: 'ModelLoadFailed', message, exitCode: 1 }
          })
        }),
    inputs: { workload: 'isvc/iris', namespace: NS, timeout: '30s' },
    expect: 'crash-loop',
    early: true
  },
  {
    name: "success: a team's own custom resource becomes Ready (generic conditions rule)",
    scenario: () =>
      new Scenario('crd-ok')
        .at(0, 'database orders applied; its operator starts reconciling', w => {
          w.database({ name: 'orders', namespace: NS, version: '16.4' })
          w.databaseStatus(NS, 'orders', {
            observed: true,
            conditions: [
              {
                type: 'Reconciling',
                status: 'True',
                reason: 'Provisioning',
                message: 'creating the primary'
              },
              { type: 'Ready', status: 'False', reason: 'Provisioning', message: 'creating the primary' }
            ]
          })
        })
        .at(0.8, 'the operator reports Ready', w =>
          w.databaseStatus(NS, 'orders', {
            observed: true,
            conditions: [
              { type: 'Ready', status: 'True', reason: 'Available', message: 'primary and 2 replicas up' }
            ]
          })
        )
        .settles(),
    inputs: { workload: 'databases.v1.db.example.com/orders', namespace: NS, timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: "unhealthy: a team's own custom resource is Stalled (generic conditions rule)",
    scenario: () =>
      new Scenario('crd-stalled').at(0, 'database orders: the operator gives up (Stalled)', w => {
        w.database({ name: 'orders', namespace: NS, version: '17.0' })
        w.databaseStatus(NS, 'orders', {
          observed: true,
          conditions: [
            {
              type: 'Stalled',
              status: 'True',
              reason: 'UnsupportedVersion',
              message: 'postgres 17.0 is not offered by storage class fast-ssd; supported: 15, 16'
            },
            { type: 'Ready', status: 'False', reason: 'UnsupportedVersion' }
          ]
        })
      }),
    inputs: { workload: 'databases.v1.db.example.com/orders', namespace: NS, timeout: '30s' },
    expect: 'unhealthy',
    early: true
  },
  {
    name: 'success: two built images in one pod, each checked (container=digest pairs)',
    scenario: () =>
      new Scenario('pairs')
        .at(0, 'web + worker 1.4.1; deploy both images of build 1.4.2', w => {
          for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
          w.deployment({
            name: 'web',
            namespace: NS,
            containers: [
              { name: 'web', image: `${REPO}:1.4.1`, digest: OLD_DIGEST },
              { name: 'worker', image: `${REPO}-worker:1.4.1`, digest: OLD_DIGEST }
            ]
          })
          w.rollout(NS, 'web', {
            web: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST },
            worker: { image: `${REPO}-worker:1.4.2`, digest: WORKER_DIGEST }
          })
        })
        .at(0.5, 'the new pod runs both', w => {
          const p = pod(w)
          w.schedule(p, NS, 'node-1')
          w.start(p, NS)
        })
        .settles(),
    inputs: {
      workload: 'deployment/web',
      namespace: NS,
      'expected-digest': `web=${NEW_DIGEST},worker=${REPO}-worker@${WORKER_DIGEST}`,
      timeout: '30s'
    },
    expect: 'success',
    early: true
  },
  {
    name: 'timeout: the build still runs at the deadline; the new pod waits for the tag it will push',
    scenario: () =>
      new Scenario('build-late')
        .at(
          0,
          'web 1.4.1 serving; build-42 (Kaniko) compiles 1.4.2; the deploy already points at 1.4.2',
          w => {
            baseWorld(w)
            startBuild(w)
            deployNew(w)
            w.schedule(pod(w), NS, 'node-2')
          }
        )
        .at(0.5, 'kubelet: ErrImagePull, 1.4.2 not found (not pushed yet), then ImagePullBackOff', w => {
          const msg = `Failed to pull image "${REPO}:1.4.2": rpc error: code = NotFound desc = failed to pull and unpack image "${REPO}:1.4.2": failed to resolve reference "${REPO}:1.4.2": ${REPO}:1.4.2: not found`
          w.kubeletEvent(pod(w), NS, { type: 'Warning', reason: 'Failed', message: msg, container: 'web' })
          w.waiting(pod(w), NS, 'web', 'ImagePullBackOff', `Back-off pulling image "${REPO}:1.4.2"`)
        }),
    inputs: {
      workload: 'deployment/web',
      namespace: NS,
      'build-pod': 'build-42',
      'build-namespace': BUILD_NS,
      timeout: '3s'
    },
    expect: 'timeout'
  },
  {
    name: 'timeout: still pulling a large image at the deadline',
    scenario: () =>
      deployedAndBound('timeout').at(0.3, 'kubelet: Pulling image (a large one)', w =>
        w.kubeletEvent(pod(w), NS, {
          type: 'Normal',
          reason: 'Pulling',
          message: `Pulling image "${REPO}:1.4.2"`,
          container: 'web'
        })
      ),
    inputs: { ...digestInputs, timeout: '3s' },
    expect: 'timeout'
  },
  {
    name: 'timeout: the Deployment exceeds its progressDeadlineSeconds (ends early)',
    scenario: () =>
      deployedAndBound('progress-deadline').at(0.5, 'deployment controller: ProgressDeadlineExceeded', w =>
        w.progressDeadlineExceeded(NS, 'web')
      ),
    inputs: { ...digestInputs, timeout: '30s' },
    expect: 'timeout',
    early: true
  },
  {
    name: 'success: a Deployment scaled to zero rolls out, but nothing ran (the image is not verified)',
    scenario: () =>
      new Scenario('scaled-to-zero').at(0, 'web at 0 replicas; deploy 1.4.2: no pod is created', w => {
        baseWorld(w, { replicas: 0 })
        deployNew(w)
      }),
    inputs: { ...digestInputs, timeout: '30s' },
    expect: 'success',
    early: true
  },
  {
    name: 'crash-loop: the kubelet kills the container for its liveness probe (named, with the probe message)',
    scenario: () => {
      const s = deployedAndBound('liveness').at(0.3, 'kubelet: container starts, not Ready yet', w =>
        w.start(pod(w), NS, { ready: false })
      )
      // periodSeconds 1, failureThreshold 3, with the kubelet's back-off: a kill every 1.5 s.
      for (const [i, at] of [1.5, 3, 4.5].entries())
        s.at(at, `liveness probe fails 3 times; the kubelet kills the container (restart ${i + 1})`, w =>
          livenessKill(w, pod(w))
        )
      return s
    },
    inputs: { ...digestInputs, timeout: '30s' },
    expect: 'crash-loop',
    early: true
  },
  {
    name: 'stale: the manifest pins the old digest (image: repo@sha256:…), so a redeploy changes nothing',
    scenario: () =>
      new Scenario('pinned').at(
        0,
        'web pins …/web@sha256:<1.4.1> in its manifest; the deploy applied it as is',
        w => pinnedWorld(w)
      ),
    inputs: { ...digestInputs, timeout: '30s', grace: '1s' },
    expect: 'stale',
    early: true
  }
]
