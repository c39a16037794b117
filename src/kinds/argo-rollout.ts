// argoproj.io/v1alpha1 Rollout: its phase says it (Healthy, Progressing, Paused, Degraded); its pods are those
// of the current pod hash (the canary while it runs), found by its selector. A paused canary is waiting.
import { selectorString } from '../kube/selector.js'
import type { ArgoRollout } from '../kube/types.js'
import { isPodReady } from '../kube/pod.js'
import { live, templateContainers, type Kind, type RolloutState } from './kind.js'

export const argoRollout: Kind<ArgoRollout> = {
  noun: 'rollout',
  title: 'Argo Rollout',
  aliases: ['rollout', 'rollouts', 'ro', 'rollout.argoproj.io', 'rollouts.argoproj.io'],
  resource: { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' },
  manifest: { group: 'argoproj.io', kind: 'Rollout' },
  generation: 'required',
  controller: 'Argo Rollouts controller',
  pods: { via: 'selector', selector: o => selectorString(o.spec?.selector), owned: false },
  containers: templateContainers,
  rule: ({ object: ro, pods, label }): RolloutState => {
    const st = ro.status ?? {}
    const desired = ro.spec?.replicas ?? 1
    const hash = st.currentPodHash
    const newPods = live(pods).filter(
      p => !hash || p.metadata.labels?.['rollouts-pod-template-hash'] === hash
    )
    const ready = newPods.filter(isPodReady).length
    const progress = {
      newPods,
      desired,
      updated: st.updatedReplicas ?? newPods.length,
      ready,
      available: st.availableReplicas ?? ready
    }
    if (st.phase === 'Healthy' && (!hash || !st.stableRS || st.stableRS === hash))
      return { ...progress, phase: 'complete' }
    if (st.phase === 'Degraded')
      return {
        ...progress,
        phase: 'failed',
        verdict: 'unhealthy',
        reason: `${label} is Degraded: ${st.message ?? 'no message'}`
      }
    if (st.phase === 'Paused' || ro.spec?.paused)
      return {
        ...progress,
        phase: 'paused',
        waitingFor: `a person or an analysis to promote ${label}, paused${st.currentStepIndex !== undefined ? ` at canary step ${st.currentStepIndex}` : ''}${st.message ? ` (${st.message})` : ''}; a paused canary is waiting, not failing (kubectl argo rollouts promote ${ro.metadata.name})`
      }
    return {
      ...progress,
      phase: 'progressing',
      waitingFor: `${ready} of ${desired} pods of the current revision Ready${st.message ? ` (${st.message})` : ''}`
    }
  },
  commands: {
    restart: t => `kubectl argo rollouts restart ${t.name} -n ${t.namespace}`,
    inspect: t => `kubectl argo rollouts get rollout ${t.name} -n ${t.namespace}`,
    setImage: (t, c, image) => `kubectl argo rollouts set image ${t.name} ${c}=${image} -n ${t.namespace}`
  }
}
