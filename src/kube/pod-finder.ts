// Finds a workload's pods the way its kind's PodLookup says: through the newest ReplicaSet, by the object's label
// selector, or by the workload's name taken as a selector. The caches follow the selector as it changes.
import { fatal, rbacHint } from './access.js'
import type { ReaderCaches } from './caches.js'
import type { Collection } from './collection.js'
import type { PodLookup } from './pod-lookup.js'
import { trimPod } from './trim.js'
import type { Pod, ReplicaSet, WorkloadObject } from './types.js'

export interface FoundPods {
  /** The ReplicaSets of a kind whose pods belong to ReplicaSets (empty for others). */
  replicaSets: ReplicaSet[]
  pods: Pod[]
  /** The newest ReplicaSet, where pods belong to ReplicaSets and one exists. */
  newRs?: ReplicaSet
}

export class PodFinder {
  private replicaSets?: Collection<ReplicaSet>
  private pods?: Collection<Pod>
  private selector = ''
  private podSelector = ''

  constructor(
    private readonly caches: ReaderCaches,
    private readonly target: { namespace: string; name: string }
  ) {}

  /** Pods found by selector: the workload's name is the selector. */
  syncSelected(): Promise<void> {
    this.followPods(this.target.name)
    return this.pods!.sync()
  }

  /** Pods by selector have no owning object: one stands in, with the first pod's containers as the template. */
  selectedObject(): WorkloadObject | undefined {
    const first = this.pods?.objects[0]
    if (!first) return undefined
    return {
      metadata: { name: this.target.name, namespace: this.target.namespace, uid: '' },
      spec: { template: { spec: { containers: first.spec?.containers ?? [] } } }
    }
  }

  /** The pods the kind's lookup finds for `obj`. */
  async find(obj: WorkloadObject, lookup: PodLookup<WorkloadObject>): Promise<FoundPods> {
    if (lookup.via === 'replica-sets') return this.viaReplicaSets(obj, lookup)
    const selector = lookup.via === 'name-is-selector' ? this.target.name : lookup.selector(obj)
    // A kind without a selector (a custom resource) is judged by its status alone.
    if (selector === undefined) return { replicaSets: [], pods: [] }
    this.followPods(selector)
    await this.pods!.sync().catch(e =>
      Promise.reject(fatal(e, 'the pods', rbacHint('list and watch', 'pods', '', this.target.namespace)))
    )
    // Kinds that own their pods keep only their own: a selector can match another workload's pods.
    const owned = lookup.via === 'selector' && lookup.owned
    const pods = this.pods!.objects.filter(
      p => !owned || (p.metadata.ownerReferences?.some(o => o.uid === obj.metadata.uid) ?? true)
    )
    return { replicaSets: [], pods }
  }

  private async viaReplicaSets(
    obj: WorkloadObject,
    lookup: Extract<PodLookup<WorkloadObject>, { via: 'replica-sets' }>
  ): Promise<FoundPods> {
    const hint = rbacHint('list and watch', 'replicasets.apps and pods', '', this.target.namespace)
    this.followReplicaSets(lookup.selector(obj))
    await this.replicaSets!.sync().catch(e => Promise.reject(fatal(e, 'the rollout', hint)))
    const replicaSets = this.replicaSets!.objects
    const newRs = lookup.newest(obj, replicaSets)
    if (!newRs) return { replicaSets, pods: [] }
    // Only the newest ReplicaSet's pods are cached: old pods of a 1,000-replica rollout would double the cost.
    const hash = newRs.metadata.labels?.['pod-template-hash']
    this.followPods(hash ? `${this.selector},pod-template-hash=${hash}` : this.selector)
    await this.pods!.sync().catch(e => Promise.reject(fatal(e, 'the rollout', hint)))
    const pods = this.pods!.objects.filter(p =>
      p.metadata.ownerReferences?.some(o => o.uid === newRs.metadata.uid)
    )
    return { replicaSets, pods, newRs }
  }

  /** (Re)creates the ReplicaSet cache when the Deployment's selector is first known or changes. */
  private followReplicaSets(selector: string): void {
    if (selector === this.selector && this.replicaSets) return
    this.caches.drop(this.replicaSets)
    this.selector = selector
    // Shared: the namespace's ReplicaSets (each reader keeps those its Deployment owns).
    this.replicaSets = this.caches.shareable(
      `/apis/apps/v1/namespaces/${this.target.namespace}/replicasets`,
      {},
      { labelSelector: selector }
    )
  }

  /** (Re)creates the pod cache for the newest ReplicaSet (a new rollout mid-wait brings a new one). */
  private followPods(selector: string): void {
    if (selector === this.podSelector && this.pods) return
    this.caches.drop(this.pods)
    this.podSelector = selector
    this.pods = this.caches.own<Pod>(
      `/api/v1/namespaces/${this.target.namespace}/pods`,
      { labelSelector: selector },
      trimPod
    )
  }
}
