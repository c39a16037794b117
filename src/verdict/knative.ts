// A Knative Service: Ready (with ConfigurationsReady and RoutesReady) and its latest created revision ready.
import type { KnativeService, Pod } from '../kube/types.js'
import { isPodReady } from './pods.js'
import type { RolloutState } from './rollout.js'

export function knativeState(ksvc: KnativeService, pods: Pod[]): RolloutState {
  const st = ksvc.status ?? {}
  const created = st.latestCreatedRevisionName
  const ready = st.latestReadyRevisionName
  const cond = (type: string) => (st.conditions ?? []).find(c => c.type === type)
  const readyCond = cond('Ready')
  const newPods = pods.filter(
    p => !p.metadata.deletionTimestamp && p.metadata.labels?.['serving.knative.dev/revision'] === created
  )
  const readyPods = newPods.filter(isPodReady).length
  const observed = (st.observedGeneration ?? 0) >= (ksvc.metadata.generation ?? 0)
  // Scale to zero: a Ready revision may run no pods at all.
  const state: RolloutState = {
    newPods,
    observed,
    complete: false,
    paused: false,
    desired: newPods.length,
    updated: newPods.length,
    ready: readyPods,
    available: readyPods
  }
  const name = `ksvc/${ksvc.metadata.name}`
  if (!observed) state.waitingFor = `the Knative controller to observe generation ${ksvc.metadata.generation}`
  else if (readyCond?.status === 'True' && created && created === ready) state.complete = true
  else if (readyCond?.status === 'False') {
    const failing =
      [cond('ConfigurationsReady'), cond('RoutesReady')].find(c => c?.status === 'False') ?? readyCond
    state.failed =
      `${name} is not Ready (${failing.reason ?? 'Failed'}): ${failing.message ?? readyCond.message ?? ''}`.trim()
    state.failedVerdict = /pull|image|manifest|unauthorized|not found/i.test(failing.message ?? '')
      ? 'image-pull'
      : 'unhealthy'
  } else
    state.waitingFor = `revision ${created ?? '(not created yet)'} to become Ready${readyCond?.reason ? ` (${readyCond.reason})` : ''}`
  return state
}
