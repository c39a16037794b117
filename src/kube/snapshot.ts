// What one read of the cluster holds: the contract between the reader and the pure decision.
import type { WorkloadKind } from '../inputs.js'
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
  workload: { kind: WorkloadKind; namespace: string; name: string }
  /** The Deployment, StatefulSet, DaemonSet or Job; null: it does not exist. */
  object: WorkloadObject | null
  /** A Deployment's ReplicaSets (empty for other kinds). */
  replicaSets: ReplicaSet[]
  /** A Deployment: its newest ReplicaSet's pods. Other kinds: every pod of the workload's selector. */
  pods: Pod[]
  /** Events of the newest ReplicaSet and of new pods that are not Ready. */
  events: KEvent[]
  /** Previous containers' last log lines, keyed `pod/container`. */
  logs: Record<string, string>
  build?: BuildEvidence
  /** Evidence the credentials may not read, each with the RBAC rule that would allow it. */
  unreadable: string[]
}
