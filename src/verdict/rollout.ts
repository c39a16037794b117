// Where a Deployment's rollout stands, by kubectl's rule (kubectl rollout status), and which pods are new.
import type { Deployment, Pod, ReplicaSet } from '../kube/types.js'
import { isPodReady } from './pods.js'
import type { StateVerdict } from './types.js'

export interface RolloutState {
  newRs?: ReplicaSet
  /** Pods of the newest ReplicaSet that are not terminating. */
  newPods: Pod[]
  /** The controller has seen the latest spec (observedGeneration >= generation). */
  observed: boolean
  complete: boolean
  paused: boolean
  desired: number
  updated: number
  ready: number
  available: number
  deadlineExceeded?: string
  replicaFailure?: string
  waitingFor?: string
  /** StatefulSet with updateStrategy OnDelete whose pods have not been replaced: it will not go on by itself. */
  onDelete?: string
  /** A Job that failed (BackoffLimitExceeded, DeadlineExceeded…), with its condition's message. */
  failed?: string
  /** The verdict for `failed` when no pod says more. */
  failedVerdict?: StateVerdict
  /** Why it is paused, and how to go on, where the kind says so itself (an Argo canary step). */
  pausedBecause?: string
}

export function revision(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)
}

export function newestReplicaSet(dep: Deployment, rss: ReplicaSet[]): ReplicaSet | undefined {
  const owned = rss.filter(r => r.metadata.ownerReferences?.some(o => o.uid === dep.metadata.uid))
  return owned.sort((a, b) => revision(b) - revision(a))[0]
}

export function rolloutState(dep: Deployment, rss: ReplicaSet[], pods: Pod[]): RolloutState {
  const st = dep.status ?? {}
  const desired = dep.spec?.replicas ?? 1
  const observed = (st.observedGeneration ?? 0) >= (dep.metadata.generation ?? 0)
  const newRs = observed ? newestReplicaSet(dep, rss) : undefined
  const newPods = newRs
    ? pods.filter(
        p =>
          !p.metadata.deletionTimestamp && p.metadata.ownerReferences?.some(o => o.uid === newRs.metadata.uid)
      )
    : []
  const updated = st.updatedReplicas ?? 0
  const available = st.availableReplicas ?? 0
  const ready = newPods.filter(isPodReady).length
  const progressing = (st.conditions ?? []).find(c => c.type === 'Progressing')
  const failure = (st.conditions ?? []).find(c => c.type === 'ReplicaFailure' && c.status === 'True')
  const state: RolloutState = {
    newRs,
    newPods,
    observed,
    complete: false,
    paused: Boolean(dep.spec?.paused),
    desired,
    updated,
    ready,
    available,
    ...(progressing?.reason === 'ProgressDeadlineExceeded'
      ? { deadlineExceeded: progressing.message ?? 'progress deadline exceeded' }
      : {}),
    ...(failure ? { replicaFailure: failure.message ?? failure.reason ?? 'ReplicaFailure' } : {})
  }
  if (!observed) {
    state.waitingFor = `the Deployment controller to observe generation ${dep.metadata.generation}`
  } else if (updated < desired) {
    state.waitingFor = `${updated} of ${desired} new replicas updated`
  } else if ((st.replicas ?? 0) > updated) {
    const old = (st.replicas ?? 0) - updated
    // Old pods go as new ones become Ready: name the cause, not the symptom, when new pods are behind.
    state.waitingFor =
      newPods.length > 0 && ready < desired
        ? `${ready} of ${desired} new pods Ready`
        : `${old} old replica${old === 1 ? '' : 's'} pending termination`
  } else if (available < updated) {
    state.waitingFor = `${available} of ${updated} updated replicas available`
  } else {
    state.complete = true
  }
  return state
}
