// The simulated kubelets: what a cluster's machines would do, and only that. They register Nodes and renew
// their Leases, run the pods the real scheduler binds to them (pull, config checks, start, readiness, exits,
// restarts with back-off), write pod status and the kubelet's events through the real API, delete pods the
// controllers terminate, and serve /containerLogs over HTTPS so `pods/{name}/log` takes the real path through
// the apiserver. The strings are the kubelet's and containerd's own (pkg/kubelet/images, kuberuntime).
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { nowIso, nowMicroIso } from '../shared/clock.js'
import type { Client, Obj } from './client.js'
import type { Recorder } from './recorder.js'
import { invalidReference, repoOf, type Digest, type Program, type Registry } from './registry.js'

export interface Taint {
  key: string
  value?: string
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'
}

export interface NodeSpec {
  name: string
  cpu?: string
  memory?: string
  pods?: number
  labels?: Record<string, string>
  taints?: Taint[]
}

export interface Clock {
  /** Wall-clock milliseconds per story-second. */
  msPerSecond: number
  /** Story-seconds of the first crash-loop back-off (the kubelet's is 10 s, doubling to 5 min). */
  crashBackoff: number
}

/** docker.io/library normalisation, as containerd reports image references. */
export function normalized(image: string): string {
  const first = image.split('/')[0]!
  const hasDomain =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (hasDomain) return image
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`
}

type State =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number
        reason: string
        startedAt: string
        finishedAt: string
        containerID?: string
        message?: string
      }
    }

interface ContainerStatus {
  name: string
  image: string
  imageID: string
  containerID?: string
  ready: boolean
  started: boolean
  restartCount: number
  state: State
  lastState: State | Record<string, never>
}

interface ContainerSpec {
  name: string
  image: string
  env?: { name: string; valueFrom?: { secretKeyRef?: Ref; configMapKeyRef?: Ref } }[]
  envFrom?: { secretRef?: Ref; configMapRef?: Ref }[]
  readinessProbe?: unknown
  livenessProbe?: { periodSeconds?: number; failureThreshold?: number; initialDelaySeconds?: number }
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError'
}
interface Ref {
  name: string
  key?: string
  optional?: boolean
}

interface Logs {
  current: string[]
  previous?: string[]
}

/** One pod on one simulated node. */
class PodWorker {
  private aborted = false
  private wake: (() => void)[] = []
  private status: { [k: string]: unknown; conditions: { type: string; [k: string]: unknown }[] }
  private writing: Promise<void> = Promise.resolve()
  private containers = new Map<string, ContainerStatus>()
  private initContainers = new Map<string, ContainerStatus>()

  constructor(
    private pod: Obj,
    private k: Kubelets
  ) {
    this.status = { ...(pod.status ?? {}), conditions: [...(pod.status?.conditions ?? [])] }
  }

  get ns(): string {
    return this.pod.metadata.namespace!
  }
  get name(): string {
    return this.pod.metadata.name
  }

  stop(): void {
    this.aborted = true
    this.wake.splice(0).forEach(w => w())
  }

  /** Story-seconds on the world's clock; resolves early (false) when the pod goes away. */
  private async sleep(seconds: number): Promise<boolean> {
    if (this.aborted) return false
    await new Promise<void>(r => {
      const t = setTimeout(r, Math.max(0, seconds * this.k.clock.msPerSecond))
      this.wake.push(() => {
        clearTimeout(t)
        r()
      })
    })
    return !this.aborted
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string, field?: string): Promise<void> {
    return this.k.recorder.record(this.pod, {
      type,
      reason,
      message,
      component: 'kubelet',
      host: this.pod.spec.nodeName,
      ...(field ? { fieldPath: field } : {})
    })
  }

  private condition(type: string, ok: boolean, reason?: string, message?: string): void {
    const prev = this.status.conditions.find(c => c.type === type)
    const status = ok ? 'True' : 'False'
    const next = {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : nowIso(),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {})
    }
    this.status.conditions = [...this.status.conditions.filter(c => c.type !== type), next]
  }

  /** The kubelet's status manager: phase and conditions from the container statuses, then one write. */
  private sync(evicted = false): Promise<void> {
    const spec = this.pod.spec as { restartPolicy?: string; containers: ContainerSpec[] }
    const inits = [...this.initContainers.values()]
    const cs = [...this.containers.values()]
    const initDone = inits.every(c => 'terminated' in c.state && c.state.terminated.exitCode === 0)
    const pendingInit = inits.filter(c => !('terminated' in c.state && c.state.terminated.exitCode === 0))
    const terminated = cs.filter(c => 'terminated' in c.state)
    const policy = spec.restartPolicy ?? 'Always'
    let phase = 'Pending'
    if (!initDone) {
      const initFailed = inits.some(c => 'terminated' in c.state && c.state.terminated.exitCode !== 0)
      phase = policy === 'Never' && initFailed ? 'Failed' : 'Pending'
    } else if (cs.length > 0 && terminated.length === cs.length && policy !== 'Always') {
      const failed = terminated.some(c => 'terminated' in c.state && c.state.terminated.exitCode !== 0)
      phase = failed ? (policy === 'Never' ? 'Failed' : 'Running') : 'Succeeded'
    } else if (cs.some(c => 'running' in c.state || c.restartCount > 0 || 'terminated' in c.state)) {
      phase = 'Running'
    }
    const unready = cs.filter(c => !c.ready).map(c => c.name)
    const done = phase === 'Succeeded' || phase === 'Failed'
    this.condition(
      'Initialized',
      initDone,
      initDone ? undefined : 'ContainersNotInitialized',
      initDone ? undefined : `containers with incomplete status: [${pendingInit.map(c => c.name).join(' ')}]`
    )
    if (done) {
      this.condition('ContainersReady', false, 'PodCompleted')
      this.condition('Ready', false, 'PodCompleted')
    } else if (unready.length === 0 && cs.length > 0) {
      this.condition('ContainersReady', true)
      this.condition('Ready', true)
    } else {
      const names = initDone ? unready : cs.map(c => c.name)
      const reason = initDone ? 'ContainersNotReady' : 'ContainersNotInitialized'
      const msg = initDone
        ? `containers with unready status: [${names.join(' ')}]`
        : `containers with incomplete status: [${pendingInit.map(c => c.name).join(' ')}]`
      this.condition(
        'ContainersReady',
        false,
        'ContainersNotReady',
        `containers with unready status: [${names.join(' ')}]`
      )
      this.condition('Ready', false, reason, msg)
    }
    this.status.phase = evicted ? 'Failed' : phase
    if (evicted) {
      this.condition('ContainersReady', false, 'PodFailed')
      this.condition('Ready', false, 'PodFailed')
    }
    this.status.containerStatuses = cs
    if (inits.length) this.status.initContainerStatuses = inits
    const body = {
      ...this.pod,
      metadata: { ...this.pod.metadata, resourceVersion: undefined },
      status: this.status
    }
    const path = `/api/v1/namespaces/${this.ns}/pods/${this.name}/status`
    this.writing = this.writing.then(async () => {
      if (this.aborted && !done && !evicted) return
      // The status manager writes unconditionally (no resourceVersion): the kubelet owns pod status.
      await this.k.api.raw('PUT', path, body).catch(() => undefined)
    })
    return this.writing
  }

  private waiting(c: ContainerStatus, reason: string, message?: string): Promise<void> {
    c.state = { waiting: { reason, ...(message ? { message } : {}) } }
    c.ready = false
    c.started = false
    return this.sync()
  }

  async run(): Promise<void> {
    const spec = this.pod.spec as { containers: ContainerSpec[]; initContainers?: ContainerSpec[] }
    const fresh = (c: ContainerSpec, reason: string): ContainerStatus => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason } },
      lastState: {}
    })
    for (const c of spec.initContainers ?? []) this.initContainers.set(c.name, fresh(c, 'PodInitializing'))
    for (const c of spec.containers)
      this.containers.set(
        c.name,
        fresh(c, spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating')
      )
    this.status.hostIP = '127.0.0.1'
    this.status.hostIPs = [{ ip: '127.0.0.1' }]
    this.status.startTime = nowIso()
    this.condition('PodReadyToStartContainers', false)
    await this.sync()

    const sandboxFailure = this.k.sandboxFailures.get(this.ns)
    if (sandboxFailure) {
      // The CNI cannot set up the sandbox: the kubelet retries every sync and records each failure.
      while (await this.sleep(0.5))
        await this.event(
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: ${sandboxFailure}`
        )
      return
    }
    const ip = `10.244.${1 + (this.k.podCounter % 250)}.${10 + (this.k.podCounter++ % 240)}`
    this.status.podIP = ip
    this.status.podIPs = [{ ip }]
    this.condition('PodReadyToStartContainers', true)
    await this.sync()

    for (const c of spec.initContainers ?? []) {
      const ok = await this.runContainer(c, this.initContainers.get(c.name)!, true)
      if (!ok) return
    }
    for (const c of spec.containers)
      this.containers.get(c.name)!.state = { waiting: { reason: 'ContainerCreating' } }
    const evict = this.k.registry.behavior(spec.containers[0]!.image, this.ns).evict
    if (evict && (evict.evicted ?? 0) < evict.times) {
      evict.evicted = (evict.evicted ?? 0) + 1
      void this.sleep(evict.after).then(async ok => {
        if (ok) await this.evict()
      })
    }
    await Promise.all(spec.containers.map(c => this.runContainer(c, this.containers.get(c.name)!, false)))
  }

  /** Missing Secrets and ConfigMaps a container references (CreateContainerConfigError). */
  private async configError(c: ContainerSpec): Promise<string | undefined> {
    const refs: { kind: 'secret' | 'configmap'; ref: Ref }[] = []
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef) refs.push({ kind: 'secret', ref: e.valueFrom.secretKeyRef })
      if (e.valueFrom?.configMapKeyRef) refs.push({ kind: 'configmap', ref: e.valueFrom.configMapKeyRef })
    }
    for (const e of c.envFrom ?? []) {
      if (e.secretRef) refs.push({ kind: 'secret', ref: e.secretRef })
      if (e.configMapRef) refs.push({ kind: 'configmap', ref: e.configMapRef })
    }
    for (const { kind, ref } of refs) {
      if (ref.optional) continue
      const plural = kind === 'secret' ? 'secrets' : 'configmaps'
      const obj = await this.k.api.getOrUndefined(`/api/v1/namespaces/${this.ns}/${plural}/${ref.name}`)
      if (!obj) return `${kind} "${ref.name}" not found`
      if (ref.key) {
        const data = { ...(obj.data as object | undefined), ...(obj.stringData as object | undefined) }
        if (!(ref.key in data))
          return `couldn't find key ${ref.key} in ${kind === 'secret' ? 'Secret' : 'ConfigMap'} ${this.ns}/${ref.name}`
      }
    }
    return undefined
  }

  /** Pulls until the registry has the image; returns its digest, or undefined when the pod went away. */
  private async pull(c: ContainerSpec, st: ContainerStatus, field: string): Promise<Digest | undefined> {
    const b = this.k.registry.behavior(c.image, this.ns)
    const full = normalized(c.image)
    let backoff = 10
    for (;;) {
      await this.event('Normal', 'Pulling', `Pulling image "${c.image}"`, field)
      if (!(await this.sleep(b.pullSeconds ?? 0.2))) return undefined
      const digest = this.k.registry.resolve(c.image, this.ns)
      if (digest) {
        const secs = (b.pullSeconds ?? 0.2).toFixed(3)
        await this.event(
          'Normal',
          'Pulled',
          `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: 48211234 bytes.`,
          field
        )
        return digest
      }
      const desc =
        b.pull === 'unauthorized'
          ? `rpc error: code = Unknown desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
          : `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`
      await this.event('Warning', 'Failed', `Failed to pull image "${c.image}": ${desc}`, field)
      await this.event('Warning', 'Failed', 'Error: ErrImagePull', field)
      await this.waiting(st, 'ErrImagePull', desc)
      if (!(await this.sleep(1))) return undefined
      await this.event('Normal', 'BackOff', `Back-off pulling image "${c.image}"`, field)
      await this.event('Warning', 'Failed', 'Error: ImagePullBackOff', field)
      await this.waiting(st, 'ImagePullBackOff', `Back-off pulling image "${c.image}": ErrImagePull: ${desc}`)
      if (!(await this.sleep(backoff))) return undefined
      backoff = Math.min(300, backoff * 2)
    }
  }

  /** Runs one container through restarts; for an init container, true once it has succeeded. */
  private async runContainer(c: ContainerSpec, st: ContainerStatus, init: boolean): Promise<boolean> {
    const field = `spec.${init ? 'initContainers' : 'containers'}{${c.name}}`
    const bad = invalidReference(c.image)
    if (bad) {
      const msg = `Failed to apply default image tag "${c.image}": couldn't parse image name "${c.image}": ${bad}`
      await this.waiting(st, 'InvalidImageName', msg)
      do {
        await this.event('Warning', 'InspectFailed', msg, field)
        await this.event('Warning', 'Failed', 'Error: InvalidImageName', field)
      } while (await this.sleep(2))
      return false
    }
    const digest = await this.pull(c, st, field)
    if (!digest) return false
    st.imageID = `${repoOf(normalized(c.image))}@${digest}`
    const policy = (this.pod.spec as { restartPolicy?: string }).restartPolicy ?? 'Always'
    const program: Program =
      this.k.registry.behavior(c.image, this.ns).program ??
      (init ? { kind: 'exit', code: 0, after: 0.2, reason: 'Completed' } : { kind: 'serve' })
    let backoff = this.k.clock.crashBackoff
    for (;;) {
      for (let err = await this.configError(c); err; err = await this.configError(c)) {
        await this.event('Warning', 'Failed', `Error: ${err}`, field)
        await this.waiting(st, 'CreateContainerConfigError', err)
        if (!(await this.sleep(2))) return false
      }
      const code = await this.start(c, st, program, field)
      if (code === undefined) return false
      if (init && code === 0) return true
      const restart =
        policy === 'Always' || (policy === 'OnFailure' && code !== 0) || (init && policy !== 'Never')
      if (!restart) return code === 0
      st.lastState = st.state
      st.restartCount++
      const logs = this.k.logsOf(this.ns, this.name, c.name)
      logs.previous = logs.current
      logs.current = []
      const shown = backoff >= 60 ? `${Math.floor(backoff / 60)}m${backoff % 60}s` : `${backoff}s`
      const who = `${this.name}_${this.ns}(${this.pod.metadata.uid})`
      await this.event(
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${who}`,
        field
      )
      await this.waiting(
        st,
        'CrashLoopBackOff',
        `back-off ${shown} restarting failed container=${c.name} pod=${who}`
      )
      if (!(await this.sleep(backoff))) return false
      backoff = Math.min(300, backoff * 2)
    }
  }

  /** Creates and starts the container and runs its program; the exit code, or undefined if the pod went away. */
  private async start(
    c: ContainerSpec,
    st: ContainerStatus,
    p: Program,
    field: string
  ): Promise<number | undefined> {
    const logs = this.k.logsOf(this.ns, this.name, c.name)
    await this.event('Normal', 'Created', `Created container: ${c.name}`, field)
    await this.event('Normal', 'Started', `Started container ${c.name}`, field)
    const containerID = `containerd://${randomBytes(32).toString('hex')}`
    const startedAt = nowIso()
    st.containerID = containerID
    st.state = { running: { startedAt } }
    st.started = true
    const probed = Boolean(c.readinessProbe)
    st.ready = !probed || (p.kind === 'serve' && !p.readyAfter && !p.neverReady && !p.livenessFails)
    await this.sync()
    const exit = async (code: number, reason: string): Promise<number> => {
      // FallbackToLogsOnError: a failed container with no termination message gets its log's tail (the kubelet
      // takes the last 80 lines, at most 2048 bytes).
      const fallback =
        code !== 0 && c.terminationMessagePolicy === 'FallbackToLogsOnError'
          ? Buffer.from(logs.current.slice(-80).join('\n')).subarray(-2048).toString()
          : ''
      st.state = {
        terminated: {
          exitCode: code,
          reason,
          startedAt,
          finishedAt: nowIso(),
          containerID,
          ...(fallback ? { message: fallback } : {})
        }
      }
      st.ready = false
      st.started = false
      await this.sync()
      return code
    }
    switch (p.kind) {
      case 'serve': {
        logs.current.push(...(p.log ?? [`listening on :8080`]))
        if (p.livenessFails && c.livenessProbe)
          return await this.livenessKill(c, c.livenessProbe, p.livenessFails.probe, field, probed, exit)
        if (p.neverReady) {
          while (await this.sleep(1))
            await this.event('Warning', 'Unhealthy', `Readiness probe failed: ${p.neverReady.probe}`, field)
          return undefined
        }
        if (!st.ready) {
          if (!(await this.sleep(p.readyAfter ?? 0))) return undefined
          st.ready = true
          await this.sync()
        }
        if (p.unreadyAfter) {
          if (!(await this.sleep(p.unreadyAfter.seconds))) return undefined
          st.ready = false
          await this.sync()
          do
            await this.event('Warning', 'Unhealthy', `Readiness probe failed: ${p.unreadyAfter.probe}`, field)
          while (await this.sleep(1))
          return undefined
        }
        if (p.crashAfter) {
          if (!(await this.sleep(p.crashAfter.seconds))) return undefined
          logs.current.push(...(p.crashAfter.log ?? []))
          return await exit(p.crashAfter.code, p.crashAfter.reason ?? 'Error')
        }
        while (await this.sleep(3600));
        return undefined
      }
      case 'exit': {
        logs.current.push(...(p.log ?? []))
        if (!(await this.sleep(p.after))) return undefined
        return await exit(p.code, p.reason ?? (p.code === 0 ? 'Completed' : 'Error'))
      }
      case 'script': {
        let t = 0
        for (const s of p.steps) {
          if (!(await this.sleep(s.at - t))) return undefined
          t = s.at
          logs.current.push(...(s.log ?? []))
          if (s.push) this.k.registry.push(s.push.image, s.push.digest)
          if (s.exit !== undefined) return await exit(s.exit, s.exit === 0 ? 'Completed' : 'Error')
        }
        while (await this.sleep(3600));
        return undefined
      }
    }
  }

  /**
   * A container whose health endpoint fails: every period the prober records the failure (readiness too, where
   * probed); at the liveness probe's failureThreshold the kubelet kills it (kuberuntime's `Killing` event) and
   * it ends by SIGKILL after the grace period (exit 137, Error), to be restarted with back-off.
   */
  private async livenessKill(
    c: ContainerSpec,
    probe: NonNullable<ContainerSpec['livenessProbe']>,
    failure: string,
    field: string,
    readiness: boolean,
    exit: (code: number, reason: string) => Promise<number>
  ): Promise<number | undefined> {
    const { periodSeconds = 10, failureThreshold = 3, initialDelaySeconds = 0 } = probe
    if (!(await this.sleep(initialDelaySeconds))) return undefined
    for (let failures = 0; failures < failureThreshold; failures++) {
      if (!(await this.sleep(periodSeconds))) return undefined
      if (readiness) await this.event('Warning', 'Unhealthy', `Readiness probe failed: ${failure}`, field)
      await this.event('Warning', 'Unhealthy', `Liveness probe failed: ${failure}`, field)
    }
    await this.event(
      'Normal',
      'Killing',
      `Container ${c.name} failed liveness probe, will be restarted`,
      field
    )
    return await exit(137, 'Error')
  }

  /**
   * Node-pressure eviction, as the kubelet's eviction manager does it: the containers are killed and the pod is
   * left Failed with reason Evicted (its controller makes a replacement); the object stays until GC.
   */
  private async evict(): Promise<void> {
    const c = [...this.containers.values()][0]!
    const message = `The node was low on resource: memory. Threshold quantity: 100Mi, available: 88Mi. Container ${c.name} was using 1540Mi, request is 128Mi, has larger consumption of memory. `
    await this.event('Warning', 'Evicted', message)
    this.aborted = true
    this.wake.splice(0).forEach(w => w())
    for (const cs of this.containers.values()) {
      const startedAt = 'running' in cs.state ? cs.state.running.startedAt : nowIso()
      cs.state = {
        terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', startedAt, finishedAt: nowIso() }
      }
      cs.ready = false
      cs.started = false
    }
    this.status.reason = 'Evicted'
    this.status.message = message
    this.condition('DisruptionTarget', true, 'TerminationByKubelet', message)
    await this.sync(true)
  }

  /** The pod is being deleted: the kubelet kills its containers and removes the object (grace 0). */
  async terminate(): Promise<void> {
    this.stop()
    await this.writing
    await this.k.api
      .delete(`/api/v1/namespaces/${this.ns}/pods/${this.name}?gracePeriodSeconds=0`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid: this.pod.metadata.uid }
      })
      .catch(() => undefined)
  }
}

export class Kubelets {
  readonly nodes = new Map<string, NodeSpec>()
  /** Namespaces whose pods' sandboxes fail (the CNI's message). */
  readonly sandboxFailures = new Map<string, string>()
  podCounter = 0
  private workers = new Map<string, PodWorker>()
  private logs = new Map<string, Logs>()
  private server: Server
  private port = 0
  private leaseTimer?: NodeJS.Timeout
  private watch?: { stop: () => void }
  private stopped = false

  constructor(
    readonly api: Client,
    readonly registry: Registry,
    readonly recorder: Recorder,
    readonly clock: Clock,
    tls: { certFile: string; keyFile: string }
  ) {
    this.server = createServer(
      { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
      (req, res) =>
        this.serveLogs(req.url ?? '/', (code, body) => {
          res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' })
          res.end(body)
        })
    )
  }

  logsOf(ns: string, pod: string, container: string): Logs {
    const key = `${ns}/${pod}/${container}`
    let l = this.logs.get(key)
    if (!l) this.logs.set(key, (l = { current: [] }))
    return l
  }

  /** The kubelet's /containerLogs/{ns}/{pod}/{container} with tailLines, limitBytes and previous. */
  private serveLogs(url: string, reply: (code: number, body: string) => void): void {
    const u = new URL(url, 'https://kubelet')
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(u.pathname)
    if (!m) return reply(404, '404 page not found\n')
    const [, ns, pod, container] = m.map(decodeURIComponent) as [string, string, string, string]
    const l = this.logs.get(`${ns}/${pod}/${container}`)
    const previous = u.searchParams.get('previous') === 'true'
    const lines = previous ? l?.previous : l?.current
    if (!lines) {
      return reply(
        400,
        previous
          ? `previous terminated container "${container}" in pod "${pod}" not found`
          : `container "${container}" in pod "${pod}" is not available`
      )
    }
    const tail = u.searchParams.get('tailLines')
    const n = tail === null ? lines.length : Math.max(0, Number(tail))
    let body = (n === 0 ? [] : lines.slice(-n)).map(s => s + '\n').join('')
    const limit = u.searchParams.get('limitBytes')
    if (limit !== null) body = Buffer.from(body).subarray(0, Number(limit)).toString()
    reply(200, body)
  }

  async start(): Promise<void> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r))
    this.port = (this.server.address() as AddressInfo).port
    this.leaseTimer = setInterval(() => void this.renewLeases(), 10_000)
    this.leaseTimer.unref()
    await this.watchPods()
  }

  private async watchPods(): Promise<void> {
    if (this.stopped) return
    const list = await this.api.json<{ metadata: { resourceVersion: string }; items: Obj[] }>(
      'GET',
      '/api/v1/pods'
    )
    for (const p of list.items) this.onPod('ADDED', p)
    this.watch = this.api.watch(
      `/api/v1/pods?resourceVersion=${list.metadata.resourceVersion}`,
      e => {
        if (e.type === 'ERROR') return this.watch?.stop()
        if (e.type !== 'BOOKMARK') this.onPod(e.type, { ...e.object, kind: 'Pod', apiVersion: 'v1' })
      },
      () => setTimeout(() => void this.watchPods().catch(() => undefined), 200)
    )
  }

  /** Others who watch every pod through the kubelets' watch (the autoscaler). */
  readonly observers: ((pod: Obj) => void)[] = []

  private onPod(type: string, pod: Obj): void {
    if (type !== 'DELETED') for (const o of this.observers) o(pod)
    const node = pod.spec?.nodeName as string | undefined
    if (!node || !this.nodes.has(node)) return
    const uid = pod.metadata.uid!
    const w = this.workers.get(uid)
    if (type === 'DELETED') {
      w?.stop()
      this.workers.delete(uid)
      return
    }
    if (pod.metadata.deletionTimestamp) {
      if (w) void w.terminate()
      else void new PodWorker(pod, this).terminate()
      this.workers.delete(uid)
      return
    }
    const phase = pod.status?.phase
    if (!w && phase !== 'Succeeded' && phase !== 'Failed') {
      const worker = new PodWorker({ ...pod, kind: 'Pod', apiVersion: 'v1' }, this)
      this.workers.set(uid, worker)
      void worker.run().catch(() => undefined)
    }
  }

  /** Registers a Node as the kubelet does: capacity, labels, taints, addresses, its endpoint, Ready. */
  async addNode(n: NodeSpec): Promise<void> {
    this.nodes.set(n.name, n)
    const capacity = {
      cpu: n.cpu ?? '4',
      memory: n.memory ?? '8Gi',
      pods: String(n.pods ?? 110),
      'ephemeral-storage': '100Gi'
    }
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n.name,
        labels: {
          'kubernetes.io/hostname': n.name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          ...n.labels
        }
      },
      spec: { ...(n.taints?.length ? { taints: n.taints } : {}) }
    }
    const heartbeat = nowIso()
    const cond = (type: string, status: string, reason: string, message: string): object => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: heartbeat,
      lastTransitionTime: heartbeat
    })
    // The kubelet registers its Node with status included (capacity, conditions, addresses), so the scheduler's
    // first look at it already sees what it can hold.
    await this.api.create('/api/v1/nodes', {
      ...node,
      status: {
        capacity,
        allocatable: capacity,
        conditions: [
          cond(
            'MemoryPressure',
            'False',
            'KubeletHasSufficientMemory',
            'kubelet has sufficient memory available'
          ),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        ],
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: n.name }
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: this.port } },
        nodeInfo: {
          machineID: randomBytes(16).toString('hex'),
          systemUUID: randomBytes(16).toString('hex'),
          bootID: randomBytes(16).toString('hex'),
          kernelVersion: '6.1.0-kube-verdict',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          containerRuntimeVersion: 'containerd://2.1.4',
          kubeletVersion: 'v1.36.3',
          kubeProxyVersion: '',
          operatingSystem: 'linux',
          architecture: 'amd64'
        }
      }
    })
    await this.renewLease(n.name)
  }

  private async renewLease(node: string): Promise<void> {
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: node, namespace: 'kube-node-lease' },
      spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: nowMicroIso() }
    }
    await this.api.apply(path, lease, 'kubelet').catch(() => undefined)
  }

  private async renewLeases(): Promise<void> {
    await Promise.all([...this.nodes.keys()].map(n => this.renewLease(n)))
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.watch?.stop()
    clearInterval(this.leaseTimer)
    for (const w of this.workers.values()) w.stop()
    const closed = new Promise<void>(r => this.server.close(() => r()))
    this.server.closeAllConnections()
    await closed
  }
}
