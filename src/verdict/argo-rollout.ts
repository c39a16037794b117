// An Argo Rollout: its phase says it (Healthy, Progressing, Paused, Degraded); its pods are those of the
// current pod hash (the canary while it runs). A paused canary is waiting, not failing.
import type { ArgoRollout, Pod } from '../kube/types.js'
import { isPodReady } from './pods.js'
import type { RolloutState } from './rollout.js'

export function argoRolloutState(ro: ArgoRollout, pods: Pod[]): RolloutState {
  const st = ro.status ?? {}
  const desired = ro.spec?.replicas ?? 1
  const hash = st.currentPodHash
  const newPods = pods.filter(
    p =>
      !p.metadata.deletionTimestamp && (!hash || p.metadata.labels?.['rollouts-pod-template-hash'] === hash)
  )
  const ready = newPods.filter(isPodReady).length
  const observed = Number(st.observedGeneration ?? 0) >= (ro.metadata.generation ?? 0)
  const state: RolloutState = {
    newPods,
    observed,
    complete: false,
    paused: false,
    desired,
    updated: st.updatedReplicas ?? newPods.length,
    ready,
    available: st.availableReplicas ?? ready
  }
  const name = `rollout/${ro.metadata.name}`
  if (!observed)
    state.waitingFor = `the Argo Rollouts controller to observe generation ${ro.metadata.generation}`
  else if (st.phase === 'Healthy' && (!hash || !st.stableRS || st.stableRS === hash)) state.complete = true
  else if (st.phase === 'Degraded') {
    state.failed = `${name} is Degraded: ${st.message ?? 'no message'}`
    state.failedVerdict = 'unhealthy'
  } else if (st.phase === 'Paused' || ro.spec?.paused) {
    state.paused = true
    state.pausedBecause = `a person or an analysis to promote ${name}, paused${st.currentStepIndex !== undefined ? ` at canary step ${st.currentStepIndex}` : ''}${st.message ? ` (${st.message})` : ''}; a paused canary is waiting, not failing (kubectl argo rollouts promote ${ro.metadata.name})`
  } else
    state.waitingFor = `${ready} of ${desired} pods of the current revision Ready${st.message ? ` (${st.message})` : ''}`
  return state
}
