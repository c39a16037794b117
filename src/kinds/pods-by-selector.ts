// Pods found by a label selector (bare pods): no object owns them, so the first pod's containers stand in for a
// template. Done when every matching pod is Ready, or has run to completion.
import { isPodReady } from '../kube/pod.js'
import { live, templateContainers, type Kind, type RolloutState } from './kind.js'

export const podsBySelector: Kind = {
  noun: 'pods',
  title: 'pods',
  aliases: [],
  generation: 'none',
  controller: 'kubelet',
  pods: { via: 'name-is-selector' },
  containers: templateContainers,
  absent: t => `no pods match ${t.name} in namespace ${t.namespace}`,
  rule: ({ pods }): RolloutState => {
    const newPods = live(pods)
    const done = newPods.filter(p => isPodReady(p) || p.status?.phase === 'Succeeded').length
    const n = newPods.length
    const progress = { newPods, desired: n, updated: n, ready: done, available: done }
    return done < n
      ? { ...progress, phase: 'progressing', waitingFor: `${done} of ${n} pods Ready` }
      : { ...progress, phase: 'complete' }
  }
}
