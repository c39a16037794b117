// What one read of the cluster holds: the contract between the reader and the pure decision.
import type { Deployment, KEvent, Pod, ReplicaSet } from './types.js'

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
  workload: { kind: 'Deployment'; namespace: string; name: string }
  /** null: the workload does not exist. */
  deployment: Deployment | null
  replicaSets: ReplicaSet[]
  /** Pods of the newest ReplicaSet. */
  pods: Pod[]
  /** Events of the newest ReplicaSet and of new pods that are not Ready. */
  events: KEvent[]
  /** Previous containers' last log lines, keyed `pod/container`. */
  logs: Record<string, string>
  build?: BuildEvidence
  /** Evidence the credentials may not read, each with the RBAC rule that would allow it. */
  unreadable: string[]
}
