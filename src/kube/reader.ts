// The cluster as kube-verdict sees one workload: list+watch caches of the Deployment, its ReplicaSets, its pods
// and the build pod (server-side selectors, never a namespace-wide list), plus events and logs read only when a
// diagnosis needs them. A read() costs no request unless events or a log are due.
import { ApiError, type KubeApi } from './api.js'
import { Collection, type CollectionPool } from './collection.js'
import { trimPod } from './trim.js'
import type { PodLookup } from './pod-lookup.js'
import { kindOf, resourceOf } from '../kinds/registry.js'
import type { Resource, WorkloadRef } from '../refs.js'
import type { BuildEvidence, Snapshot } from './snapshot.js'
import type { KEvent, Pod, ReplicaSet, WorkloadObject } from './types.js'
import { crashedContainers, hasEnded, isPodReady } from './pod.js'

/** How many unready pods get their events read: enough to diagnose, bounded for 1,000 replicas. */
const EVENT_SAMPLE = 3
/** A pod unready for less than this is taken as starting up: no events are read for it yet. */
const EVENTS_AFTER_MS = 2_000
/** Where events may not be watched, a stalled pod's are re-read less often the longer it stalls, between these bounds. */
const EVENTS_REFRESH_MIN_MS = 3_000
const EVENTS_REFRESH_MAX_MS = 30_000
const LOG_SAMPLE = 2
const LOG_TAIL = 20
const BUILD_LOG_TAIL = 200
/** Log reads are bounded in bytes too: one log line can be 50 MB. */
const LOG_BYTES = 64 * 1024
const BUILD_LOG_BYTES = 1024 * 1024
/** Events of one object read at most this many pages of 500: a hostile cluster can hold 100,000. */
const EVENT_PAGES = 2

/** The credentials were refused, or may not read what a verdict needs: waiting cannot help. */
export class AccessError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

export type ReaderTarget = WorkloadRef & {
  namespace: string
  build?: { namespace: string; name?: string; selector?: string }
}

function apiPath(r: Resource): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
}

export function rbacHint(verb: string, resource: string, group: string, namespace: string): string {
  return `allow ${verb} on ${group ? resource + '.' + group : resource} in namespace ${namespace}`
}

export function fatal(e: unknown, what: string, hint: string): unknown {
  if (e instanceof ApiError && e.status === 401)
    return new AccessError(`the API server refused the credentials (401 Unauthorized): ${e.message}`, 401)
  if (e instanceof ApiError && e.status === 403)
    return new AccessError(`${e.message} (${hint}; kube-verdict needs it to read ${what})`, 403)
  return e
}

export class SnapshotReader {
  /** The workload object; none for pods found by selector. */
  private readonly workload?: Collection<WorkloadObject>
  private replicaSets?: Collection<ReplicaSet>
  private pods?: Collection<Pod>
  private build?: Collection<Pod>
  private selector = ''
  private logCache = new Map<string, string>()
  private buildLog?: { pod: string; text: string }
  /** Events of stalled subjects, by uid: watched, or re-read where watching them is forbidden (eventsPolled). */
  private eventCaches = new Map<string, Collection<KEvent>>()
  private eventsPolled = false
  private events = new Map<string, { at: number; items: KEvent[] }>()
  private unreadySince = new Map<string, number>()
  private collections: Collection<{ metadata: { name: string } }>[] = []

  constructor(
    private readonly api: KubeApi,
    private readonly target: ReaderTarget,
    private readonly onChange: () => void = () => undefined,
    private readonly now: () => number = Date.now,
    /** Shared caches when one step verifies several workloads. */
    private readonly pool?: CollectionPool
  ) {
    const { namespace, name } = target
    const r = resourceOf(target)
    if (r) {
      // Alone, by name; with other workloads, the namespace's objects of this kind, shared by all of them.
      const path = `${apiPath(r)}/namespaces/${namespace}/${r.plural}`
      this.workload = this.pool
        ? this.shared(path, {})
        : this.watch(path, { fieldSelector: `metadata.name=${name}` })
    }
    const b = target.build
    if (b)
      this.build = (this.pool ? this.shared.bind(this) : this.watch.bind(this))<Pod>(
        `/api/v1/namespaces/${b.namespace}/pods`,
        b.name ? { fieldSelector: `metadata.name=${b.name}` } : { labelSelector: b.selector ?? '' }
      )
  }

  private watch<T extends { metadata: { name: string } }>(
    path: string,
    query: Record<string, string>,
    trim?: (o: T) => T
  ): Collection<T> {
    const c = new Collection<T>(this.api, path, query, this.onChange, { trim })
    this.collections.push(c as unknown as Collection<{ metadata: { name: string } }>)
    return c
  }

  /** Every cache has a live watch: changes arrive as they happen. */
  get watchLive(): boolean {
    return this.collections.every(c => c.watchLive)
  }

  stop(): void {
    this.collections.forEach(c => (this.pooled.has(c) ? this.pool!.release(c, this.onChange) : c.stop()))
    this.stopEventWatches()
  }

  private pooled = new Set<unknown>()

  private shared<T extends { metadata: { name: string } }>(
    path: string,
    query: Record<string, string>
  ): Collection<T> {
    const c = this.pool!.get<T>(path, query, this.onChange)
    this.pooled.add(c)
    this.collections.push(c as unknown as Collection<{ metadata: { name: string } }>)
    return c
  }

  /** `thorough`: read the events of every unready pod now (the last read before the deadline). */
  async read(opts: { thorough?: boolean } = {}): Promise<Snapshot> {
    const { build: _build, ...workload } = this.target
    const unreadable: string[] = []
    const snap: Snapshot = {
      takenAt: new Date(this.now()).toISOString(),
      workload,
      object: null,
      replicaSets: [],
      pods: [],
      events: [],
      logs: {},
      unreadable
    }
    const lookup = kindOf(this.target).pods
    const [objResult, buildResult] = await Promise.allSettled([
      lookup.via === 'name-is-selector' ? this.readSelectedPods() : this.workload!.sync(),
      this.readBuild(unreadable)
    ])
    const served = resourceOf(this.target)
    // A list of a served kind never answers 404 (an empty namespace lists nothing): the kind is not served, its
    // CRD not installed. The real apiserver says `404 page not found`; waiting for the deadline cannot help.
    const unserved =
      objResult.status === 'rejected' &&
      served !== undefined &&
      objResult.reason instanceof ApiError &&
      objResult.reason.status === 404
    if (objResult.status === 'rejected' && !unserved) {
      const r = served ?? { plural: 'pods', group: '' }
      throw fatal(
        objResult.reason,
        'the workload',
        rbacHint('get, list and watch', r.plural, r.group, this.target.namespace)
      )
    }
    if (buildResult.status === 'rejected') throw buildResult.reason
    if (buildResult.value) snap.build = buildResult.value
    if (unserved) {
      const r = served!
      snap.unserved = `the API server does not serve ${r.plural}.${r.group}/${r.version} (${(objResult.reason as ApiError).message.trim()}): is its CustomResourceDefinition installed?`
      return snap
    }
    const obj =
      lookup.via === 'name-is-selector'
        ? this.selectedPodsObject()
        : this.workload!.objects.find(o => o.metadata.name === this.target.name)
    if (!obj) return snap
    snap.object = obj
    const newRs = await this.readPods(snap, obj, lookup as PodLookup<WorkloadObject>)
    snap.events = await this.readEvents(snap.pods, newRs, unreadable, opts.thorough ?? false)
    snap.logs = await this.previousLogs(snap.pods, unreadable)
    return snap
  }

  /** The pods the kind's lookup finds; returns the newest ReplicaSet where pods belong to ReplicaSets. */
  private async readPods(
    snap: Snapshot,
    obj: WorkloadObject,
    lookup: PodLookup<WorkloadObject>
  ): Promise<ReplicaSet | undefined> {
    const ns = this.target.namespace
    if (lookup.via === 'replica-sets') {
      const hint = rbacHint('list and watch', 'replicasets.apps and pods', '', ns)
      this.followReplicaSets(lookup.selector(obj))
      await this.replicaSets!.sync().catch(e => Promise.reject(fatal(e, 'the rollout', hint)))
      snap.replicaSets = this.replicaSets!.objects
      const newRs = lookup.newest(obj, snap.replicaSets)
      if (!newRs) return undefined
      // Only the newest ReplicaSet's pods are cached: old pods of a 1,000-replica rollout would double the cost.
      const hash = newRs.metadata.labels?.['pod-template-hash']
      this.followPods(hash ? `${this.selector},pod-template-hash=${hash}` : this.selector)
      await this.pods!.sync().catch(e => Promise.reject(fatal(e, 'the rollout', hint)))
      snap.pods = this.pods!.objects.filter(p =>
        p.metadata.ownerReferences?.some(o => o.uid === newRs.metadata.uid)
      )
      return newRs
    }
    const selector = lookup.via === 'name-is-selector' ? this.target.name : lookup.selector(obj)
    // A kind without a selector (a custom resource) is judged by its status alone.
    if (selector === undefined) return undefined
    this.followPods(selector)
    await this.pods!.sync().catch(e =>
      Promise.reject(fatal(e, 'the pods', rbacHint('list and watch', 'pods', '', ns)))
    )
    // Kinds that own their pods keep only their own: a selector can match another workload's pods.
    const owned = lookup.via === 'selector' && lookup.owned
    snap.pods = this.pods!.objects.filter(
      p => !owned || (p.metadata.ownerReferences?.some(o => o.uid === obj.metadata.uid) ?? true)
    )
    return undefined
  }

  private podSelector = ''

  private readSelectedPods(): Promise<void> {
    this.followPods(this.target.name)
    return this.pods!.sync()
  }

  /** Pods by selector have no owning object: one stands in, with the first pod's containers as the template. */
  private selectedPodsObject(): WorkloadObject | undefined {
    const first = this.pods?.objects[0]
    if (!first) return undefined
    return {
      metadata: { name: this.target.name, namespace: this.target.namespace, uid: '' },
      spec: { template: { spec: { containers: first.spec?.containers ?? [] } } }
    }
  }

  /** (Re)creates the ReplicaSet cache when the Deployment's selector is first known or changes. */
  private followReplicaSets(selector: string): void {
    if (selector === this.selector && this.replicaSets) return
    this.drop(this.replicaSets)
    this.selector = selector
    const path = `/apis/apps/v1/namespaces/${this.target.namespace}/replicasets`
    // Shared: the namespace's ReplicaSets (each reader keeps those its Deployment owns).
    this.replicaSets = this.pool ? this.shared(path, {}) : this.watch(path, { labelSelector: selector })
  }

  /** (Re)creates the pod cache for the newest ReplicaSet (a new rollout mid-wait brings a new one). */
  private followPods(selector: string): void {
    if (selector === this.podSelector && this.pods) return
    this.drop(this.pods)
    this.podSelector = selector
    this.pods = this.watch<Pod>(
      `/api/v1/namespaces/${this.target.namespace}/pods`,
      { labelSelector: selector },
      trimPod
    )
  }

  private drop(c: { stop: () => void } | undefined): void {
    if (!c) return
    if (this.pooled.has(c)) this.pool!.release(c, this.onChange)
    else c.stop()
    this.collections = this.collections.filter(x => x !== (c as unknown))
  }

  private async optional<T>(
    what: string,
    hint: string,
    unreadable: string[],
    fn: () => Promise<T>
  ): Promise<T | undefined> {
    try {
      return await fn()
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        const line = `${what}: forbidden (${hint})`
        if (!unreadable.includes(line)) unreadable.push(line)
        return undefined
      }
      throw e
    }
  }

  private async readEvents(
    pods: Pod[],
    newRs: ReplicaSet | undefined,
    unreadable: string[],
    thorough: boolean
  ): Promise<KEvent[]> {
    const { subjects, current } = this.stalled(pods, newRs, thorough ? 0 : EVENTS_AFTER_MS)
    const sample = subjects.slice(0, EVENT_SAMPLE)
    const failed = this.eventsPolled
      ? await this.pollEvents(sample, unreadable, thorough)
      : await this.watchEvents(sample, current, unreadable)
    // API trouble on a side read: the snapshot goes on with what is cached, and the events are tried again soon.
    if (failed) setTimeout(this.onChange, 300).unref()
    for (const uid of this.events.keys()) if (!current.has(uid)) this.events.delete(uid)
    // A cache relisting after its watch failed keeps what it had: stale events beat none (a sandbox failure seen
    // three times must not vanish while the list is throttled).
    const watched = [...this.eventCaches.values()].flatMap(c => c.objects)
    return [...watched, ...[...this.events.values()].flatMap(e => e.items)]
  }

  /** The unready pods (and a ReplicaSet short of pods) unready for `after` ms or more: whose events to read. */
  private stalled(
    pods: Pod[],
    newRs: ReplicaSet | undefined,
    after: number
  ): { subjects: { uid: string; since: number }[]; current: Set<string> } {
    const now = this.now()
    const subjects: { uid: string; since: number }[] = []
    const current = new Set<string>()
    const unready = (uid: string): void => {
      current.add(uid)
      if (!this.unreadySince.has(uid)) this.unreadySince.set(uid, now)
      const since = this.unreadySince.get(uid)!
      if (now - since >= after) subjects.push({ uid, since })
    }
    for (const p of pods) {
      const uid = p.metadata.uid ?? p.metadata.name
      if (isPodReady(p)) {
        current.add(uid)
        this.unreadySince.delete(uid)
      } else unready(uid)
    }
    if (newRs && (newRs.status?.replicas ?? 0) < (newRs.spec?.replicas ?? 0))
      unready(newRs.metadata.uid ?? newRs.metadata.name)
    return { subjects, current }
  }

  private eventsHint(): string {
    return rbacHint('list', 'events', '', this.target.namespace)
  }

  private eventsOf(uid: string): { path: string; query: Record<string, string> } {
    return {
      path: `/api/v1/namespaces/${this.target.namespace}/events`,
      query: { fieldSelector: `involvedObject.uid=${uid}` }
    }
  }

  /**
   * The sampled subjects' events through a list+watch each: while a pod waits for capacity, the autoscaler's and
   * the kubelet's words arrive as they are written, and a long stall costs no request. A subject that leaves the
   * sample keeps the events it had, unwatched, while it is current. Returns whether a read failed.
   */
  private async watchEvents(
    sample: { uid: string }[],
    current: Set<string>,
    unreadable: string[]
  ): Promise<boolean> {
    const sampled = new Set(sample.map(s => s.uid))
    for (const [uid, c] of this.eventCaches) {
      if (sampled.has(uid)) continue
      if (current.has(uid) && c.isSynced) this.events.set(uid, { at: this.now(), items: c.objects })
      c.stop()
      this.eventCaches.delete(uid)
    }
    const refused = (): void => {
      // RBAC grants list on events but not watch (as deploy/rbac.yaml did before): re-read them instead.
      this.eventsPolled = true
      this.onChange()
    }
    const results = await Promise.allSettled(
      sample.map(async ({ uid }) => {
        let c = this.eventCaches.get(uid)
        if (!c) {
          const { path, query } = this.eventsOf(uid)
          c = new Collection<KEvent>(this.api, path, query, this.onChange, {
            maxPages: EVENT_PAGES,
            onWatchRefused: refused
          })
          this.eventCaches.set(uid, c)
          this.events.delete(uid)
        }
        await this.optional('events', this.eventsHint(), unreadable, () => c.sync())
      })
    )
    if (this.eventsPolled) {
      // What the lists read stays, as a re-read would have it.
      for (const [uid, c] of this.eventCaches)
        if (c.isSynced) this.events.set(uid, { at: this.now(), items: c.objects })
      this.stopEventWatches()
    }
    return results.some(r => r.status === 'rejected')
  }

  private stopEventWatches(): void {
    this.eventCaches.forEach(c => c.stop())
    this.eventCaches.clear()
  }

  /** Where events may not be watched: re-read, less often the longer a subject stalls. Returns whether one failed. */
  private async pollEvents(
    subjects: { uid: string; since: number }[],
    unreadable: string[],
    thorough: boolean
  ): Promise<boolean> {
    const now = this.now()
    const due = subjects.filter(s => {
      const cached = this.events.get(s.uid)
      const refresh = Math.min(EVENTS_REFRESH_MAX_MS, Math.max(EVENTS_REFRESH_MIN_MS, (now - s.since) / 4))
      return !cached || now - cached.at >= (thorough ? Math.min(refresh, 1000) : refresh)
    })
    const results = await Promise.allSettled(
      due.map(async s => {
        const { path, query } = this.eventsOf(s.uid)
        const list = await this.optional('events', this.eventsHint(), unreadable, () =>
          this.api.list<KEvent>(path, query, { maxPages: EVENT_PAGES })
        )
        if (list) this.events.set(s.uid, { at: now, items: list.items })
      })
    )
    return results.some(r => r.status === 'rejected')
  }

  private async previousLogs(pods: Pod[], unreadable: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    // A restarted container's previous log; or, where nothing restarts (Jobs, init containers of
    // restartPolicy Never pods), the log of the container that exited non-zero.
    const crashed = pods
      .flatMap(p => crashedContainers(p).map(c => ({ p, cs: c.status, previous: c.previous })))
      .slice(0, LOG_SAMPLE)
    for (const { p, cs, previous } of crashed) {
      const key = `${p.metadata.name}/${cs.name}/${cs.restartCount}/${previous}`
      let text = this.logCache.get(key)
      if (text === undefined) {
        text = await this.optional(
          'pod logs',
          rbacHint('get', 'pods/log', '', this.target.namespace),
          unreadable,
          () =>
            this.api.text(`/api/v1/namespaces/${this.target.namespace}/pods/${p.metadata.name}/log`, {
              container: cs.name,
              previous,
              tailLines: LOG_TAIL,
              limitBytes: LOG_BYTES
            })
        ).catch(e => {
          if (e instanceof ApiError && e.status === 400) return '' // no previous container (yet)
          throw e
        })
        if (text === undefined) continue
        this.logCache.set(key, text)
      }
      if (text) out[`${p.metadata.name}/${cs.name}`] = text
    }
    return out
  }

  private async readBuild(unreadable: string[]): Promise<BuildEvidence | undefined> {
    const b = this.target.build
    if (!b || !this.build) return undefined
    const ev: BuildEvidence = { namespace: b.namespace, ref: b.name ?? b.selector ?? '', pod: null }
    const hint = rbacHint('get, list and watch', 'pods', '', b.namespace)
    const synced = await this.optional('build pod', hint, unreadable, () =>
      this.build!.sync().then(() => true)
    )
    if (!synced) return ev
    const pod = this.build.objects.sort((x, y) =>
      (y.metadata.creationTimestamp ?? '').localeCompare(x.metadata.creationTimestamp ?? '')
    )[0]
    if (!pod) return ev
    ev.pod = pod
    // Kaniko pushes and exits within moments: the log is read once, when the build has ended.
    if (!hasEnded(pod)) return ev
    if (this.buildLog?.pod !== pod.metadata.uid) {
      const container =
        (pod.status?.containerStatuses ?? []).find(c => /kaniko|build/i.test(c.name))?.name ??
        pod.spec?.containers[0]?.name
      const log = await this.optional(
        'build pod log',
        rbacHint('get', 'pods/log', '', b.namespace),
        unreadable,
        () =>
          this.api.text(`/api/v1/namespaces/${b.namespace}/pods/${pod.metadata.name}/log`, {
            container,
            tailLines: BUILD_LOG_TAIL,
            limitBytes: BUILD_LOG_BYTES
          })
      ).catch(e => {
        if (e instanceof ApiError && (e.status === 400 || e.status === 404)) return undefined
        throw e
      })
      if (log === undefined) return ev
      this.buildLog = { pod: pod.metadata.uid ?? pod.metadata.name, text: log }
    }
    ev.log = this.buildLog?.text
    return ev
  }
}
