// What one read of the cluster holds: the contract between the reader and the pure decision.
import type { WorkloadRef } from '../refs.js'
import type { KEvent, Pod, ReplicaSet, WorkloadObject } from './types.js'

export interface BuildEvidence {
  namespace: string
  /** The build-pod input: a pod name or a label selector. */
  ref: string
  /** The build pod (the newest match for a selector); null when none exists (yet). */
  pod: Pod | null
  /** The build container's log tail, when it could be read. */
  log?: string
}

export interface Snapshot {
  takenAt: string
  workload: WorkloadRef & { namespace: string }
  /** The workload object; null: it does not exist (for pods by selector: no pod matches). */
  object: WorkloadObject | null
  /** The ReplicaSets of a kind whose pods belong to ReplicaSets (empty for others). */
  replicaSets: ReplicaSet[]
  /** The pods the kind's lookup finds: the newest ReplicaSet's, or those of the workload's selector. */
  pods: Pod[]
  /** Events of the newest ReplicaSet and of new pods that are not Ready. */
  events: KEvent[]
  /** Previous containers' last log lines, keyed `pod/container`. */
  logs: Record<string, string>
  build?: BuildEvidence
  /** Evidence the credentials may not read, each with the RBAC rule that would allow it. */
  unreadable: string[]
  /** The API server does not serve the workload's kind (its list answered 404): why there is no object. */
  unserved?: string
}
