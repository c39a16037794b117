// Where a StatefulSet's rollout stands, by kubectl's rule (rollout status for statefulsets), with partitions,
// OnDelete and ordered start.
import type { Pod, StatefulSet } from '../kube/types.js'
import { isPodReady } from './pods.js'
import type { RolloutState } from './rollout.js'

function ordinal(p: Pod): number {
  return Number(/-(\d+)$/.exec(p.metadata.name)?.[1] ?? -1)
}

export function statefulSetState(sts: StatefulSet, pods: Pod[]): RolloutState {
  const st = sts.status ?? {}
  const desired = sts.spec?.replicas ?? 1
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0
  const observed =
    (st.observedGeneration ?? 0) >= (sts.metadata.generation ?? 0) && (st.observedGeneration ?? 0) > 0
  const live = pods.filter(p => !p.metadata.deletionTimestamp).sort((a, b) => ordinal(a) - ordinal(b))
  // New pods: those at the update revision (above the partition, the only ones a partitioned update touches).
  const rev = st.updateRevision
  const newPods = rev
    ? live.filter(p => p.metadata.labels?.['controller-revision-hash'] === rev && ordinal(p) >= partition)
    : live
  const ready = st.readyReplicas ?? 0
  const updated = st.updatedReplicas ?? 0
  const state: RolloutState = {
    newPods,
    observed,
    complete: false,
    paused: false,
    desired,
    updated,
    ready,
    available: st.availableReplicas ?? ready
  }
  const name = `statefulset/${sts.metadata.name}`
  if (!observed) {
    state.waitingFor = `the StatefulSet controller to observe generation ${sts.metadata.generation}`
    return state
  }
  if (sts.spec?.updateStrategy?.type === 'OnDelete') {
    const old = live.filter(p => rev && p.metadata.labels?.['controller-revision-hash'] !== rev)
    if (old.length > 0) {
      state.onDelete = `${name} updates pods only when they are deleted (updateStrategy OnDelete): ${old.length} of ${live.length} pods still run the previous revision (${old
        .map(p => p.metadata.name)
        .slice(0, 5)
        .join(', ')}); delete them to roll out`
      state.waitingFor = `${old.length} pods to be deleted and recreated (OnDelete)`
      return state
    }
  }
  if (ready < desired) {
    // OrderedReady: pod N+1 waits for pod N. The lowest unready pod is the one to look at.
    const blocker = sts.spec?.podManagementPolicy !== 'Parallel' ? live.find(p => !isPodReady(p)) : undefined
    state.waitingFor = `${ready} of ${desired} pods Ready${blocker ? `; ${blocker.metadata.name} holds up the pods after it (ordered start)` : ''}`
    return state
  }
  if (partition > 0) {
    if (updated < desired - partition) {
      state.waitingFor = `partitioned rollout: ${updated} of ${desired - partition} pods above partition ${partition} updated`
      return state
    }
    state.complete = true
    return state
  }
  if (st.updateRevision !== st.currentRevision) {
    state.waitingFor = `rolling update: ${updated} of ${desired} pods at revision ${st.updateRevision}`
    return state
  }
  state.complete = true
  return state
}
