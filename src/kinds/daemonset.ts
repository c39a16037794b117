// apps/v1 DaemonSet, by kubectl's rule (rollout status for daemonsets). Its pods name it as their owner.
import { selectorString } from '../kube/selector.js'
import type { DaemonSet } from '../kube/types.js'
import { live, templateContainers, type Kind, type RolloutState } from './kind.js'

export const daemonSet: Kind<DaemonSet> = {
  noun: 'daemonset',
  title: 'DaemonSet',
  aliases: ['daemonset', 'daemonsets', 'ds', 'daemonset.apps', 'daemonsets.apps'],
  resource: { group: 'apps', version: 'v1', plural: 'daemonsets' },
  manifest: { group: 'apps', kind: 'DaemonSet' },
  generation: 'required',
  controller: 'DaemonSet controller',
  pods: { via: 'selector', selector: o => selectorString(o.spec?.selector), owned: true },
  containers: templateContainers,
  rule: ({ object: ds, pods }): RolloutState => {
    const st = ds.status ?? {}
    const desired = st.desiredNumberScheduled ?? 0
    const updated = st.updatedNumberScheduled ?? 0
    const available = st.numberAvailable ?? 0
    const generation = String(ds.metadata.generation ?? '')
    // Daemon pods carry the template generation they were made from.
    const newPods = live(pods).filter(
      p => (p.metadata.labels?.['pod-template-generation'] ?? generation) === generation
    )
    const progress = { newPods, desired, updated, ready: st.numberReady ?? 0, available }
    if (updated < desired)
      return {
        ...progress,
        phase: 'progressing',
        waitingFor: `${updated} of ${desired} nodes running the new daemon pod`
      }
    if (available < desired)
      return {
        ...progress,
        phase: 'progressing',
        waitingFor: `${available} of ${desired} updated daemon pods available`
      }
    return { ...progress, phase: 'complete', ready: Math.max(progress.ready, available) }
  },
  commands: {
    restart: t => `kubectl rollout restart ${t.label} -n ${t.namespace}`,
    setImage: (t, c, image) => `kubectl set image ${t.label} ${c}=${image} -n ${t.namespace}`
  }
}
