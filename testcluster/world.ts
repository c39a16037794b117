// A small, deterministic imitation of the Deployment, ReplicaSet and Job controllers, the scheduler, the kubelet,
// a Kaniko build pod and Knative Serving, writing objects shaped as the real ones write them. The stand-in's
// stories that the real control plane recorded replay its timelines instead (stories/recorded.ts); this is for
// the few told without one, the bench, and tests that build a world of their own.
import { createHash, randomBytes } from 'node:crypto'
import { recordEvent, type EventSpec } from './events.js'
import { nowIso } from './shared/clock.js'
import type { KObject } from './shared/object.js'
import type { Store } from './store.js'

const HASH_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** Like k8s.io/apimachinery rand.SafeEncodeString of a hash: 10 characters, no vowels. */
function safeHash(input: string, len = 10): string {
  const bytes = createHash('sha256').update(input).digest()
  let out = ''
  for (let i = 0; i < len; i++) out += HASH_ALPHABET[bytes[i]! % HASH_ALPHABET.length]
  return out
}

function randomSuffix(): string {
  const b = randomBytes(5)
  return [...b].map(x => HASH_ALPHABET[x % HASH_ALPHABET.length]).join('')
}

export function fakeDigest(seed: string): `sha256:${string}` {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`
}

export interface ContainerSpec {
  name: string
  image: string
  /** The digest the registry holds for `image`: what the kubelet reports as imageID. */
  digest: string
  resources?: object
  env?: object[]
  readinessProbe?: object
}

export interface DeploymentSpec {
  name: string
  namespace: string
  replicas?: number
  containers: ContainerSpec[]
  labels?: Record<string, string>
  progressDeadlineSeconds?: number
  /** How the kubelet writes imageID: containerd `repo@sha256:…` (default) or docker `docker-pullable://…`. */
  runtime?: 'containerd' | 'docker'
}

type Pod = KObject & { spec: PodSpec; status: PodStatus }
interface PodSpec {
  nodeName?: string
  containers: { name: string; image: string; [k: string]: unknown }[]
  initContainers?: { name: string; image: string }[]
  [k: string]: unknown
}
export interface ContainerStatus {
  name: string
  image: string
  imageID: string
  ready: boolean
  started?: boolean
  restartCount: number
  containerID?: string
  state: {
    waiting?: { reason: string; message?: string }
    running?: { startedAt: string }
    terminated?: Terminated
  }
  lastState: { terminated?: Terminated }
}
interface Terminated {
  exitCode: number
  reason: string
  message?: string
  startedAt?: string
  finishedAt?: string
  containerID?: string
}
interface PodStatus {
  phase: string
  conditions?: {
    type: string
    status: string
    reason?: string
    message?: string
    lastTransitionTime: string
    lastProbeTime: null
  }[]
  containerStatuses?: ContainerStatus[]
  initContainerStatuses?: ContainerStatus[]
  hostIP?: string
  podIP?: string
  startTime?: string
  qosClass?: string
  [k: string]: unknown
}

export class World {
  /** Digests each image reference resolves to, as a registry would answer the kubelet. */
  private registry = new Map<string, string>()
  private runtime = new Map<string, 'containerd' | 'docker'>()

  private names = 0

  /** With `deterministic`, generated names (pod suffixes, event names) come from a counter. */
  constructor(
    readonly store: Store,
    private readonly opts: { deterministic?: boolean } = {}
  ) {}

  private suffix(): string {
    if (!this.opts.deterministic) return randomSuffix()
    return safeHash(`pod-${++this.names}`, 5)
  }

  namespace(name: string): void {
    if (!this.store.find('Namespace', undefined, name)) {
      this.store.put({
        kind: 'Namespace',
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' }
      })
    }
  }

  node(
    name: string,
    opts: { cpu?: string; memory?: string; taints?: object[]; labels?: Record<string, string> } = {}
  ): void {
    this.store.put({
      kind: 'Node',
      metadata: {
        name,
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...opts.labels }
      },
      spec: { ...(opts.taints ? { taints: opts.taints } : {}) },
      status: {
        capacity: { cpu: opts.cpu ?? '2', memory: opts.memory ?? '8Gi', pods: '110' },
        allocatable: { cpu: opts.cpu ?? '2', memory: opts.memory ?? '8Gi', pods: '110' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: nowIso(),
            lastTransitionTime: nowIso()
          }
        ],
        nodeInfo: {
          kubeletVersion: 'v1.32.4',
          containerRuntimeVersion: 'containerd://1.7.27',
          osImage: 'Ubuntu 24.04 LTS',
          architecture: 'amd64',
          operatingSystem: 'linux'
        }
      }
    })
  }

  /** A Deployment whose first revision is already rolled out, every pod Ready. */
  deployment(d: DeploymentSpec): void {
    this.namespace(d.namespace)
    const labels = d.labels ?? { app: d.name }
    for (const c of d.containers) this.registry.set(c.image, c.digest)
    this.runtime.set(`${d.namespace}/${d.name}`, d.runtime ?? 'containerd')
    this.store.put({
      kind: 'Deployment',
      metadata: { name: d.name, namespace: d.namespace, labels, annotations: {} },
      spec: {
        replicas: d.replicas ?? 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: d.containers.map(containerSpec) } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: d.progressDeadlineSeconds ?? 600
      },
      status: {}
    })
    const rs = this.syncDeployment(d.namespace, d.name)
    for (const p of this.podsOf(rs)) {
      this.schedule(p.metadata.name, d.namespace, 'node-1', { quiet: true })
      this.start(p.metadata.name, d.namespace, { quiet: true, deferStatus: true })
    }
    this.syncStatus(d.namespace, d.name)
  }

  /** Every new pod of a Deployment scheduled, started and Ready at once (large rollouts, benchmarks). */
  bringUp(namespace: string, name: string, opts: { quiet?: boolean } = {}): void {
    for (const [i, p] of this.newPods(namespace, name).entries()) {
      this.schedule(p, namespace, `node-${(i % 3) + 1}`, opts)
      this.start(p, namespace, { ...opts, deferStatus: true })
    }
    this.syncStatus(namespace, name)
  }

  /** `kubectl set image` / `apply` of a new template: the deployment controller makes a new ReplicaSet. */
  rollout(
    namespace: string,
    name: string,
    images: Record<string, { image: string; digest: string }>
  ): KObject {
    const dep = this.get('Deployment', namespace, name)
    this.setImages(dep, images)
    this.store.put(dep)
    return this.syncDeployment(namespace, name)
  }

  /** A new image for each named container of a workload's template; the registry learns their digests. */
  private setImages(
    obj: KObject,
    images: Record<string, { image: string; digest: string }>
  ): { spec: { containers: { name: string; image: string }[] } } {
    const tpl = (obj.spec as { template: { spec: { containers: { name: string; image: string }[] } } })
      .template
    for (const c of tpl.spec.containers) {
      const next = images[c.name]
      if (next) {
        c.image = next.image
        this.registry.set(next.image, next.digest)
      }
    }
    return tpl
  }

  // ---- the deployment and replicaset controllers ----

  private syncDeployment(namespace: string, name: string): KObject {
    const dep = this.get('Deployment', namespace, name)
    const spec = dep.spec as {
      replicas: number
      template: { metadata: { labels: Record<string, string> }; spec: object }
    }
    const hash = safeHash(JSON.stringify(spec.template))
    const rsName = `${name}-${hash}`
    const owned = this.replicaSetsOf(dep)
    let rs = owned.find(r => r.metadata.name === rsName)
    const revision =
      Math.max(
        0,
        ...owned.map(r => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0))
      ) + 1
    if (!rs) {
      const labels = { ...spec.template.metadata.labels, 'pod-template-hash': hash }
      rs = this.store.put({
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(spec.replicas),
            'deployment.kubernetes.io/max-replicas': String(spec.replicas + Math.ceil(spec.replicas * 0.25)),
            'deployment.kubernetes.io/revision': String(revision)
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name,
              uid: dep.metadata.uid!,
              controller: true,
              blockOwnerDeletion: true
            } as never
          ]
        },
        spec: {
          replicas: spec.replicas,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: spec.template.spec }
        },
        status: { replicas: 0, observedGeneration: 1 }
      })
      recordEvent(this.store, dep, {
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set ${rsName} from 0 to ${spec.replicas}`,
        component: 'deployment-controller'
      })
      for (let i = 0; i < spec.replicas; i++) this.createPod(rs)
    }
    this.syncStatus(namespace, name)
    return this.get('ReplicaSet', namespace, rsName)
  }

  private createPod(rs: KObject): Pod {
    const tpl = (rs.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } })
      .template
    // generateName: the apiserver retries a name already taken (5 random characters collide about once in 30
    // rollouts of 1,000 pods, and a lost pod left a rollout at 999 of 1,000 for good).
    let name = `${rs.metadata.name}-${this.suffix()}`
    while (this.store.find('Pod', rs.metadata.namespace, name)) name = `${rs.metadata.name}-${this.suffix()}`
    const pod = this.store.put({
      kind: 'Pod',
      metadata: {
        name,
        namespace: rs.metadata.namespace,
        generateName: `${rs.metadata.name}-`,
        labels: tpl.metadata.labels,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true
          } as never
        ]
      },
      spec: {
        ...structuredClone(tpl.spec),
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        serviceAccountName: 'default'
      },
      status: { phase: 'Pending', qosClass: 'Burstable' }
    })
    recordEvent(this.store, rs, {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created pod: ${name}`,
      component: 'replicaset-controller'
    })
    return pod as Pod
  }

  /** ReplicaSet and Deployment status as the controllers compute them, and old pods scaled down. */
  syncStatus(namespace: string, name: string): void {
    const dep = this.get('Deployment', namespace, name)
    const spec = dep.spec as { replicas: number; template: object }
    const hash = safeHash(JSON.stringify(spec.template))
    const rss = this.replicaSetsOf(dep)
    const newRs = rss.find(r => r.metadata.name === `${name}-${hash}`)
    const newAvailable = newRs ? this.podsOf(newRs).filter(isReady).length : 0
    // Rolling update: each new available pod lets one old pod go.
    for (const rs of rss) {
      if (rs === newRs) continue
      const keep = Math.max(0, spec.replicas - newAvailable)
      const pods = this.podsOf(rs)
      if ((rs.spec as { replicas: number }).replicas !== keep) {
        ;(rs.spec as { replicas: number }).replicas = keep
        this.store.put(rs)
        recordEvent(this.store, dep, {
          type: 'Normal',
          reason: 'ScalingReplicaSet',
          message: `Scaled down replica set ${rs.metadata.name} from ${pods.length} to ${keep}`,
          component: 'deployment-controller'
        })
      }
      for (const p of pods.slice(keep)) {
        this.store.delete('Pod', namespace, p.metadata.name)
      }
    }
    let total = 0
    let ready = 0
    for (const rs of this.replicaSetsOf(dep)) {
      const pods = this.podsOf(rs)
      const r = pods.filter(isReady).length
      total += pods.length
      ready += r
      rs.status = {
        replicas: pods.length,
        fullyLabeledReplicas: pods.length,
        readyReplicas: r,
        availableReplicas: r,
        observedGeneration: rs.metadata.generation
      }
      if (r === 0) {
        delete (rs.status as Record<string, unknown>).readyReplicas
        delete (rs.status as Record<string, unknown>).availableReplicas
      }
      this.store.put(rs)
    }
    const updated = newRs ? this.podsOf(newRs).length : 0
    const complete = updated === spec.replicas && total === spec.replicas && newAvailable === spec.replicas
    const maxUnavailable = Math.floor(spec.replicas * 0.25)
    const prev =
      (
        dep.status as {
          conditions?: { type: string; lastTransitionTime: string; status: string; reason: string }[]
        }
      ).conditions ?? []
    const cond = (type: string, status: string, reason: string, message: string): object => {
      const old = prev.find(c => c.type === type)
      const same = old && old.status === status && old.reason === reason
      return {
        type,
        status,
        lastUpdateTime: nowIso(),
        lastTransitionTime: same ? old.lastTransitionTime : nowIso(),
        reason,
        message
      }
    }
    const rsName = newRs?.metadata.name ?? name
    const progressing = complete
      ? cond(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${rsName}" has successfully progressed.`
        )
      : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`)
    const available =
      ready >= spec.replicas - maxUnavailable
        ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : cond(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.'
          )
    const status: Record<string, unknown> = {
      observedGeneration: dep.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: Math.max(0, spec.replicas - ready),
      conditions: [available, progressing]
    }
    for (const k of ['readyReplicas', 'availableReplicas', 'unavailableReplicas'])
      if (status[k] === 0) delete status[k]
    dep.status = status
    this.store.put(dep)
  }

  // ---- the scheduler ----

  unschedulable(pod: string, namespace: string, message: string): void {
    const p = this.pod(pod, namespace)
    setCondition(p, 'PodScheduled', 'False', 'Unschedulable', message)
    this.store.put(p)
    recordEvent(this.store, p, {
      type: 'Warning',
      reason: 'FailedScheduling',
      message,
      component: 'default-scheduler',
      shape: 'events.k8s.io',
      action: 'Scheduling'
    })
  }

  schedule(pod: string, namespace: string, node: string, opts: { quiet?: boolean } = {}): void {
    const p = this.pod(pod, namespace)
    p.spec.nodeName = node
    setCondition(p, 'PodScheduled', 'True')
    p.status.hostIP = '10.0.1.' + (1 + (node.length % 200))
    p.status.startTime = nowIso()
    p.status.containerStatuses = p.spec.containers.map(c => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {}
    }))
    setCondition(p, 'Initialized', 'True')
    setCondition(
      p,
      'ContainersReady',
      'False',
      'ContainersNotReady',
      `containers with unready status: [${p.spec.containers.map(c => c.name).join(' ')}]`
    )
    setCondition(
      p,
      'Ready',
      'False',
      'ContainersNotReady',
      `containers with unready status: [${p.spec.containers.map(c => c.name).join(' ')}]`
    )
    this.store.put(p)
    if (!opts.quiet)
      recordEvent(this.store, p, {
        type: 'Normal',
        reason: 'Scheduled',
        message: `Successfully assigned ${namespace}/${pod} to ${node}`,
        component: 'default-scheduler',
        shape: 'events.k8s.io',
        action: 'Binding'
      })
  }

  // ---- the kubelet ----

  kubeletEvent(
    pod: string,
    namespace: string,
    spec: Omit<EventSpec, 'component'> & { container?: string }
  ): void {
    const p = this.pod(pod, namespace)
    recordEvent(this.store, p, {
      component: 'kubelet',
      host: p.spec.nodeName,
      fieldPath: spec.container ? `spec.containers{${spec.container}}` : undefined,
      ...spec
    })
  }

  /** Pull, create and start every container; Ready unless told otherwise (a readiness probe still failing). */
  start(
    pod: string,
    namespace: string,
    opts: { ready?: boolean; quiet?: boolean; only?: string[]; deferStatus?: boolean } = {}
  ): void {
    const p = this.pod(pod, namespace)
    const owner = this.deploymentOf(p)
    const runtime = (owner && this.runtime.get(`${namespace}/${owner}`)) ?? 'containerd'
    for (const cs of p.status.containerStatuses ?? []) {
      if (opts.only && !opts.only.includes(cs.name)) continue
      const digest = this.registry.get(cs.image) ?? fakeDigest(cs.image)
      const repo = cs.image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^/:]+$/, '')
      if (!opts.quiet) {
        this.kubeletEvent(pod, namespace, {
          type: 'Normal',
          reason: 'Pulling',
          message: `Pulling image "${cs.image}"`,
          container: cs.name
        })
        this.kubeletEvent(pod, namespace, {
          type: 'Normal',
          reason: 'Pulled',
          message: `Successfully pulled image "${cs.image}" in 1.203s (1.203s including waiting). Image size: 48211234 bytes.`,
          container: cs.name
        })
        this.kubeletEvent(pod, namespace, {
          type: 'Normal',
          reason: 'Created',
          message: `Created container: ${cs.name}`,
          container: cs.name
        })
        this.kubeletEvent(pod, namespace, {
          type: 'Normal',
          reason: 'Started',
          message: `Started container ${cs.name}`,
          container: cs.name
        })
      }
      cs.imageID = runtime === 'docker' ? `docker-pullable://${repo}@${digest}` : `${repo}@${digest}`
      cs.containerID = `containerd://${randomBytes(32).toString('hex')}`
      cs.state = { running: { startedAt: nowIso() } }
      cs.started = true
      cs.ready = opts.ready ?? true
      this.store.appendLog(namespace, pod, cs.name, `listening on :8080 (${cs.name} ${digest.slice(7, 19)})`)
    }
    p.status.phase = 'Running'
    p.status.podIP = '10.244.1.' + (10 + Math.floor(Math.random() * 200))
    this.refreshReady(p)
    this.store.put(p)
    if (owner && !opts.deferStatus) this.syncStatus(namespace, owner)
  }

  /** Readiness passes (e.g. after a slow warm-up). */
  ready(pod: string, namespace: string): void {
    const p = this.pod(pod, namespace)
    for (const cs of p.status.containerStatuses ?? []) if (cs.state.running) cs.ready = true
    this.refreshReady(p)
    this.store.put(p)
    const owner = this.deploymentOf(p)
    if (owner) this.syncStatus(namespace, owner)
  }

  /** A container that waits: ErrImagePull, ImagePullBackOff, CreateContainerConfigError, InvalidImageName… */
  waiting(pod: string, namespace: string, container: string, reason: string, message: string): void {
    const p = this.pod(pod, namespace)
    const cs = p.status.containerStatuses?.find(c => c.name === container)
    if (!cs) throw new Error(`no container ${container} in ${pod}`)
    cs.state = { waiting: { reason, message } }
    cs.ready = false
    this.refreshReady(p)
    this.store.put(p)
  }

  /** The container exits and the kubelet backs off: CrashLoopBackOff with the last termination. */
  crash(
    pod: string,
    namespace: string,
    container: string,
    opts: { exitCode?: number; reason?: string; log?: string[] } = {}
  ): void {
    const p = this.pod(pod, namespace)
    const cs = p.status.containerStatuses?.find(c => c.name === container)
    if (!cs) throw new Error(`no container ${container} in ${pod}`)
    for (const line of opts.log ?? []) this.store.appendLog(namespace, pod, container, line)
    this.store.rotateLog(namespace, pod, container)
    const exitCode = opts.exitCode ?? 1
    cs.lastState = {
      terminated: {
        exitCode,
        reason: opts.reason ?? 'Error',
        startedAt: nowIso(),
        finishedAt: nowIso(),
        containerID: cs.containerID
      }
    }
    cs.restartCount++
    const backoff = Math.min(300, 10 * 2 ** (cs.restartCount - 1))
    cs.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${backoff < 60 ? backoff + 's' : Math.floor(backoff / 60) + 'm' + (backoff % 60 ? (backoff % 60) + 's' : '0s')} restarting failed container=${container} pod=${pod}_${namespace}(${p.metadata.uid})`
      }
    }
    cs.ready = false
    cs.started = false
    this.refreshReady(p)
    this.store.put(p)
    this.kubeletEvent(pod, namespace, {
      type: 'Warning',
      reason: 'BackOff',
      message: `Back-off restarting failed container ${container} in pod ${pod}_${namespace}(${p.metadata.uid})`,
      container
    })
    const owner = this.deploymentOf(p)
    if (owner) this.syncStatus(namespace, owner)
  }

  private refreshReady(p: Pod): void {
    const statuses = p.status.containerStatuses ?? []
    const unready = statuses.filter(c => !c.ready).map(c => c.name)
    if (unready.length === 0) {
      setCondition(p, 'ContainersReady', 'True')
      setCondition(p, 'Ready', 'True')
    } else {
      const msg = `containers with unready status: [${unready.join(' ')}]`
      setCondition(p, 'ContainersReady', 'False', 'ContainersNotReady', msg)
      setCondition(p, 'Ready', 'False', 'ContainersNotReady', msg)
    }
  }

  // ---- a Kaniko build pod ----

  buildPod(opts: {
    name: string
    namespace: string
    labels?: Record<string, string>
    destination: string
  }): void {
    this.namespace(opts.namespace)
    this.store.put({
      kind: 'Pod',
      metadata: { name: opts.name, namespace: opts.namespace, labels: opts.labels ?? {} },
      spec: {
        restartPolicy: 'Never',
        nodeName: 'node-1',
        containers: [
          {
            name: 'kaniko',
            image: 'gcr.io/kaniko-project/executor:v1.23.2',
            args: [
              '--dockerfile=Dockerfile',
              '--context=dir:///workspace',
              `--destination=${opts.destination}`
            ]
          }
        ]
      },
      status: {
        phase: 'Running',
        startTime: nowIso(),
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: nowIso(), lastProbeTime: null }],
        containerStatuses: [
          {
            name: 'kaniko',
            image: 'gcr.io/kaniko-project/executor:v1.23.2',
            imageID: 'gcr.io/kaniko-project/executor@' + fakeDigest('kaniko'),
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: nowIso() } },
            lastState: {}
          }
        ]
      }
    })
    this.store.appendLog(opts.namespace, opts.name, 'kaniko', '')
  }

  buildLog(name: string, namespace: string, ...lines: string[]): void {
    for (const l of lines) this.store.appendLog(namespace, name, 'kaniko', l)
  }

  /** The build container ends: exit 0 is Completed and Succeeded, anything else Error and Failed. */
  buildEnds(name: string, namespace: string, exitCode: number, message?: string): void {
    const p = this.pod(name, namespace)
    const cs = p.status.containerStatuses![0]!
    cs.state = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: cs.state.running?.startedAt ?? nowIso(),
        finishedAt: nowIso(),
        ...(message ? { message } : {})
      }
    }
    cs.ready = false
    cs.started = false
    p.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed'
    setCondition(p, 'Ready', 'False', 'PodCompleted')
    this.store.put(p)
  }

  // ---- the job controller ----

  /** A Job (a migration the deploy runs) with its first pod running. */
  job(d: { name: string; namespace: string; containers: ContainerSpec[]; backoffLimit?: number }): void {
    this.namespace(d.namespace)
    for (const c of d.containers) this.registry.set(c.image, c.digest)
    const job = this.store.put({
      kind: 'Job',
      metadata: { name: d.name, namespace: d.namespace },
      spec: {
        completions: 1,
        parallelism: 1,
        backoffLimit: d.backoffLimit ?? 1,
        template: { spec: { containers: d.containers.map(containerSpec), restartPolicy: 'Never' } }
      },
      status: {}
    })
    const labels = {
      'batch.kubernetes.io/controller-uid': job.metadata.uid!,
      'batch.kubernetes.io/job-name': d.name,
      'controller-uid': job.metadata.uid!,
      'job-name': d.name
    }
    ;(job.spec as Record<string, unknown>).selector = {
      matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid! }
    }
    ;(job.spec as { template: Record<string, unknown> }).template.metadata = { labels }
    job.status = { active: 1, ready: 0, startTime: nowIso() }
    this.store.put(job)
    this.jobPod(d.namespace, d.name)
  }

  private jobPod(namespace: string, name: string): string {
    const job = this.get('Job', namespace, name)
    const tpl = (job.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } })
      .template
    const pod = `${name}-${this.suffix()}`
    this.store.put({
      kind: 'Pod',
      metadata: {
        name: pod,
        namespace,
        labels: tpl.metadata.labels,
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid!, controller: true } as never
        ]
      },
      spec: structuredClone(tpl.spec),
      status: { phase: 'Pending' }
    })
    this.schedule(pod, namespace, 'node-1', { quiet: true })
    this.start(pod, namespace, { quiet: true })
    return pod
  }

  /** The Job's running pod exits: 0 completes the Job; otherwise it retries until backoffLimit, then fails. */
  jobPodExits(namespace: string, name: string, exitCode: number, log: string[] = []): void {
    const job = this.get('Job', namespace, name)
    const pods = this.store
      .list('pods', namespace)
      .filter(p => p.metadata.ownerReferences?.some(o => o.uid === job.metadata.uid))
    const running = pods.find(p => (p.status as PodStatus).phase === 'Running')
    if (!running) throw new Error(`job ${name} has no running pod`)
    const p = this.pod(running.metadata.name, namespace)
    for (const line of log) this.store.appendLog(namespace, p.metadata.name, p.spec.containers[0]!.name, line)
    const cs = p.status.containerStatuses![0]!
    cs.state = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: cs.state.running?.startedAt ?? nowIso(),
        finishedAt: nowIso()
      }
    }
    cs.ready = false
    p.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed'
    setCondition(p, 'Ready', 'False', 'PodCompleted')
    this.store.put(p)
    const st = (job.status ?? {}) as { failed?: number; succeeded?: number; conditions?: object[] }
    const now = nowIso()
    if (exitCode === 0) {
      job.status = {
        ...st,
        active: 0,
        ready: 0,
        succeeded: 1,
        completionTime: now,
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now },
          { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now }
        ]
      }
      this.store.put(job)
      return
    }
    const failed = (st.failed ?? 0) + 1
    if (failed > ((job.spec as { backoffLimit: number }).backoffLimit ?? 6)) {
      const c = {
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        lastProbeTime: now,
        lastTransitionTime: now
      }
      job.status = {
        ...st,
        active: 0,
        ready: 0,
        failed,
        conditions: [
          { type: 'FailureTarget', status: 'True', ...c },
          { type: 'Failed', status: 'True', ...c }
        ]
      }
      this.store.put(job)
      return
    }
    job.status = { ...st, active: 1, failed }
    this.store.put(job)
    this.jobPod(namespace, name)
  }

  // ---- Knative Serving ----

  /** A Knative Service whose first revision is Ready, with one pod. */
  knativeService(d: { name: string; namespace: string; container: ContainerSpec }): void {
    this.namespace(d.namespace)
    this.registry.set(d.container.image, d.container.digest)
    this.store.put({
      kind: 'KnativeService',
      metadata: { name: d.name, namespace: d.namespace },
      spec: { template: { spec: { containers: [containerSpec(d.container)] } } },
      status: {}
    })
    this.ksvcRevision(d.namespace, d.name, true)
  }

  /** The controller creates the next revision and its pod; `ready` says whether it comes up now. */
  private ksvcRevision(namespace: string, name: string, ready: boolean): string {
    const ksvc = this.get('KnativeService', namespace, name)
    const st = (ksvc.status ?? {}) as { latestCreatedRevisionName?: string; latestReadyRevisionName?: string }
    const n = Number(/(\d+)$/.exec(st.latestCreatedRevisionName ?? '')?.[1] ?? 0) + 1
    const rev = `${name}-${String(n).padStart(5, '0')}`
    const tpl = (ksvc.spec as { template: { spec: PodSpec } }).template
    const pod = `${rev}-deployment-${this.suffix()}`
    this.store.put({
      kind: 'Pod',
      metadata: {
        name: pod,
        namespace,
        labels: {
          'serving.knative.dev/service': name,
          'serving.knative.dev/revision': rev,
          'serving.knative.dev/configuration': name
        }
      },
      spec: { ...structuredClone(tpl.spec), restartPolicy: 'Always' },
      status: { phase: 'Pending' }
    })
    this.schedule(pod, namespace, 'node-1', { quiet: true })
    if (ready) this.start(pod, namespace, { quiet: true })
    this.ksvcStatus(namespace, name, {
      created: rev,
      ready: ready ? rev : st.latestReadyRevisionName,
      readyStatus: ready ? 'True' : 'Unknown'
    })
    return pod
  }

  ksvcStatus(
    namespace: string,
    name: string,
    s: {
      created?: string
      ready?: string
      readyStatus: 'True' | 'False' | 'Unknown'
      reason?: string
      message?: string
    }
  ): void {
    const ksvc = this.get('KnativeService', namespace, name)
    const st = (ksvc.status ?? {}) as { latestCreatedRevisionName?: string; latestReadyRevisionName?: string }
    const c = (type: string) => ({
      type,
      status: s.readyStatus,
      lastTransitionTime: nowIso(),
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.message ? { message: s.message } : {})
    })
    ksvc.status = {
      observedGeneration: ksvc.metadata.generation,
      latestCreatedRevisionName: s.created ?? st.latestCreatedRevisionName,
      ...((s.ready ?? st.latestReadyRevisionName)
        ? { latestReadyRevisionName: s.ready ?? st.latestReadyRevisionName }
        : {}),
      url: `http://${name}.${namespace}.example.com`,
      conditions: [
        c('ConfigurationsReady'),
        c('Ready'),
        {
          type: 'RoutesReady',
          status: s.readyStatus === 'False' ? 'True' : s.readyStatus,
          lastTransitionTime: nowIso()
        }
      ]
    }
    this.store.put(ksvc, 'KnativeService')
  }

  /** A new image: the next revision, not Ready yet. Returns its pod. */
  ksvcDeploy(namespace: string, name: string, image: string, digest: string): string {
    const ksvc = this.get('KnativeService', namespace, name)
    this.registry.set(image, digest)
    ;(
      ksvc.spec as { template: { spec: { containers: { image: string }[] } } }
    ).template.spec.containers[0]!.image = image
    this.store.put(ksvc, 'KnativeService')
    return this.ksvcRevision(namespace, name, false)
  }

  // ---- look-ups ----

  get(kind: string, namespace: string | undefined, name: string): KObject {
    const o = this.store.find(kind, namespace, name)
    if (!o) throw new Error(`test world has no ${kind} ${namespace}/${name}`)
    return o
  }

  pod(name: string, namespace: string): Pod {
    return this.get('Pod', namespace, name) as Pod
  }

  replicaSetsOf(dep: KObject): KObject[] {
    return this.store
      .list('replicasets', dep.metadata.namespace)
      .filter(r => r.metadata.ownerReferences?.some(o => o.uid === dep.metadata.uid))
  }

  podsOf(rs: KObject): Pod[] {
    return this.store
      .list('pods', rs.metadata.namespace)
      .filter(p => p.metadata.ownerReferences?.some(o => o.uid === rs.metadata.uid)) as Pod[]
  }

  /** Names of the newest ReplicaSet's pods of a Deployment. */
  newPods(namespace: string, name: string): string[] {
    const dep = this.get('Deployment', namespace, name)
    const rss = this.replicaSetsOf(dep)
    const newest = rss.sort((a, b) => rev(b) - rev(a))[0]
    return newest ? this.podsOf(newest).map(p => p.metadata.name) : []
  }

  private deploymentOf(p: KObject): string | undefined {
    const rsRef = p.metadata.ownerReferences?.find(o => o.kind === 'ReplicaSet')
    if (!rsRef) return undefined
    const rs = this.store.find('ReplicaSet', p.metadata.namespace, rsRef.name)
    return rs?.metadata.ownerReferences?.find(o => o.kind === 'Deployment')?.name
  }
}

function rev(rs: KObject): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)
}

function containerSpec(c: ContainerSpec): object {
  return {
    name: c.name,
    image: c.image,
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    resources: c.resources ?? { requests: { cpu: '250m', memory: '512Mi' } },
    ...(c.env ? { env: c.env } : {}),
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File'
  }
}

function isReady(p: KObject): boolean {
  const conds = (p.status as PodStatus | undefined)?.conditions ?? []
  return conds.some(c => c.type === 'Ready' && c.status === 'True')
}

function setCondition(p: Pod, type: string, status: string, reason?: string, message?: string): void {
  const conds = (p.status.conditions ??= [])
  const existing = conds.find(c => c.type === type)
  const next = {
    type,
    status,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    lastProbeTime: null,
    lastTransitionTime: existing?.status === status ? existing.lastTransitionTime : nowIso()
  }
  if (existing) Object.assign(existing, next)
  else conds.push(next)
  for (const k of ['reason', 'message'] as const) if (existing && next[k] === undefined) delete existing[k]
}
