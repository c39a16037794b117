// Where a DaemonSet's rollout stands, by kubectl's rule (rollout status for daemonsets).
import type { DaemonSet, Pod } from '../kube/types.js'
import type { RolloutState } from './rollout.js'

export function daemonSetState(ds: DaemonSet, pods: Pod[]): RolloutState {
  const st = ds.status ?? {}
  const desired = st.desiredNumberScheduled ?? 0
  const updated = st.updatedNumberScheduled ?? 0
  const available = st.numberAvailable ?? 0
  const observed = (st.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0)
  const generation = String(ds.metadata.generation ?? '')
  // Daemon pods carry the template generation they were made from.
  const newPods = pods.filter(
    p =>
      !p.metadata.deletionTimestamp &&
      (p.metadata.labels?.['pod-template-generation'] ?? generation) === generation
  )
  const state: RolloutState = {
    newPods,
    observed,
    complete: false,
    paused: false,
    desired,
    updated,
    ready: st.numberReady ?? 0,
    available
  }
  if (!observed) state.waitingFor = `the DaemonSet controller to observe generation ${ds.metadata.generation}`
  else if (updated < desired) state.waitingFor = `${updated} of ${desired} nodes running the new daemon pod`
  else if (available < desired) state.waitingFor = `${available} of ${desired} updated daemon pods available`
  else {
    state.complete = true
    state.ready = Math.max(state.ready, available)
  }
  return state
}
