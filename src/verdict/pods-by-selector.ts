// Pods found by a label selector (bare pods, or anything kube-verdict has no rule for): done when every matching
// pod is Ready, or has run to completion.
import type { Pod } from '../kube/types.js'
import { isPodReady } from './pods.js'
import type { RolloutState } from './rollout.js'

export function podsState(pods: Pod[]): RolloutState {
  const live = pods.filter(p => !p.metadata.deletionTimestamp)
  const done = live.filter(p => isPodReady(p) || p.status?.phase === 'Succeeded').length
  const state: RolloutState = {
    newPods: live,
    observed: true,
    complete: false,
    paused: false,
    desired: live.length,
    updated: live.length,
    ready: done,
    available: done
  }
  if (done < live.length) state.waitingFor = `${done} of ${live.length} pods Ready`
  else state.complete = true
  return state
}
