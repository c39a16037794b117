// The cluster as kube-verdict sees one workload: list+watch caches of the object, its ReplicaSets, its pods and
// the build pod (server-side selectors, never a namespace-wide list), plus events and logs read only when a
// diagnosis needs them. A read() costs no request unless events or a log are due. The caller says where the
// workload's kind is served and how its pods are found (src/kinds/reader.ts reads both from the kinds' registry).
import { ApiError, type KubeApi } from './api.js'
import { fatal, rbacHint } from './access.js'
import { BuildPod, type BuildRef } from './build-pod.js'
import { ReaderCaches } from './caches.js'
import type { Collection, CollectionPool } from './collection.js'
import { CrashLogs } from './crash-logs.js'
import { EventSampler } from './event-sample.js'
import { PodFinder } from './pod-finder.js'
import type { PodLookup } from './pod-lookup.js'
import type { Resource, WorkloadRef } from '../refs.js'
import type { Snapshot } from './snapshot.js'
import type { WorkloadObject } from './types.js'

export type ReaderTarget = WorkloadRef & { namespace: string; build?: BuildRef }

/** What the reader needs of the workload's kind. */
export interface KindAccess {
  /** Where the API serves it; none for pods found by selector. */
  resource?: Resource
  pods: PodLookup<WorkloadObject>
}

function apiPath(r: Resource): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
}

export class WorkloadReader {
  private readonly caches: ReaderCaches
  /** The workload object; none for pods found by selector. */
  private readonly workload?: Collection<WorkloadObject>
  private readonly build?: BuildPod
  private readonly podFinder: PodFinder
  private readonly events: EventSampler
  private readonly logs: CrashLogs

  constructor(
    api: KubeApi,
    private readonly target: ReaderTarget,
    private readonly kind: KindAccess,
    onChange: () => void = () => undefined,
    private readonly now: () => number = Date.now,
    /** Shared caches when one step verifies several workloads. */
    pool?: CollectionPool
  ) {
    const { namespace, name } = target
    this.caches = new ReaderCaches(api, onChange, pool)
    const r = kind.resource
    // Alone, by name; with other workloads, the namespace's objects of this kind, shared by all of them.
    if (r)
      this.workload = this.caches.shareable(
        `${apiPath(r)}/namespaces/${namespace}/${r.plural}`,
        {},
        { fieldSelector: `metadata.name=${name}` }
      )
    if (target.build) this.build = new BuildPod(api, target.build, this.caches)
    this.podFinder = new PodFinder(this.caches, target)
    this.events = new EventSampler(api, namespace, onChange, now)
    this.logs = new CrashLogs(api, namespace)
  }

  /** Every cache has a live watch: changes arrive as they happen. */
  get watchLive(): boolean {
    return this.caches.watchLive
  }

  stop(): void {
    this.caches.stop()
    this.events.stop()
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
    const selected = this.kind.pods.via === 'name-is-selector'
    const [objResult, buildResult] = await Promise.allSettled([
      selected ? this.podFinder.syncSelected() : this.workload!.sync(),
      this.build?.read(unreadable)
    ])
    const unserved = this.unserved(objResult)
    if (objResult.status === 'rejected' && unserved === undefined) throw this.objectError(objResult.reason)
    if (buildResult.status === 'rejected') throw buildResult.reason
    if (buildResult.value) snap.build = buildResult.value
    if (unserved !== undefined) {
      snap.unserved = unserved
      return snap
    }
    const obj = selected
      ? this.podFinder.selectedObject()
      : this.workload!.objects.find(o => o.metadata.name === this.target.name)
    if (!obj) return snap
    snap.object = obj
    const { replicaSets, pods, newRs } = await this.podFinder.find(obj, this.kind.pods)
    snap.replicaSets = replicaSets
    snap.pods = pods
    snap.events = await this.events.read(snap.pods, newRs, unreadable, opts.thorough ?? false)
    snap.logs = await this.logs.read(snap.pods, unreadable)
    return snap
  }

  /**
   * A list of a served kind never answers 404 (an empty namespace lists nothing): the kind is not served, its CRD
   * not installed. The real apiserver says `404 page not found`; waiting for the deadline cannot help.
   */
  private unserved(result: PromiseSettledResult<unknown>): string | undefined {
    const r = this.kind.resource
    if (result.status !== 'rejected' || !r) return undefined
    const e: unknown = result.reason
    if (!(e instanceof ApiError) || e.status !== 404) return undefined
    return `the API server does not serve ${r.plural}.${r.group}/${r.version} (${e.message.trim()}): is its CustomResourceDefinition installed?`
  }

  private objectError(e: unknown): unknown {
    const r = this.kind.resource ?? { plural: 'pods', group: '' }
    return fatal(e, 'the workload', rbacHint('get, list and watch', r.plural, r.group, this.target.namespace))
  }
}
