// apps/v1 Deployment, by kubectl's rule (kubectl rollout status): its pods are the newest ReplicaSet's.
import { selectorString } from '../kube/selector.js'
import type { Deployment, Pod, ReplicaSet } from '../kube/types.js'
import { isPodReady } from '../kube/pod.js'
import { condition, live, templateContainers, type Kind, type RolloutState } from './kind.js'
import { newPodsReady } from '../verdict/words.js'

export function revision(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)
}

/** The ReplicaSet of the Deployment's current template: the owned one of the highest revision. */
export function newestReplicaSet(dep: Deployment, rss: ReplicaSet[]): ReplicaSet | undefined {
  const owned = rss.filter(r => r.metadata.ownerReferences?.some(o => o.uid === dep.metadata.uid))
  return owned.sort((a, b) => revision(b) - revision(a))[0]
}

function waitingFor(dep: Deployment, newPods: Pod[], ready: number): string | undefined {
  const st = dep.status ?? {}
  const desired = dep.spec?.replicas ?? 1
  const updated = st.updatedReplicas ?? 0
  const available = st.availableReplicas ?? 0
  if (updated < desired) return `${updated} of ${desired} new replicas updated`
  if ((st.replicas ?? 0) > updated) {
    const old = (st.replicas ?? 0) - updated
    // Old pods go as new ones become Ready: name the cause, not the symptom, when new pods are behind.
    return newPods.length > 0 && ready < desired
      ? newPodsReady(ready, desired)
      : `${old} old replica${old === 1 ? '' : 's'} pending termination`
  }
  if (available < updated) return `${available} of ${updated} updated replicas available`
  return undefined
}

export const deployment: Kind<Deployment> = {
  noun: 'deployment',
  title: 'Deployment',
  aliases: ['deployment', 'deployments', 'deploy', 'deployment.apps', 'deployments.apps'],
  resource: { group: 'apps', version: 'v1', plural: 'deployments' },
  manifest: { group: 'apps', kind: 'Deployment' },
  generation: 'required',
  controller: 'Deployment controller',
  pods: { via: 'replica-sets', selector: o => selectorString(o.spec?.selector), newest: newestReplicaSet },
  containers: templateContainers,
  rule: ({ object: dep, replicaSets, pods, label, namespace }): RolloutState => {
    const st = dep.status ?? {}
    const newRs = newestReplicaSet(dep, replicaSets)
    const newPods = newRs
      ? live(pods).filter(p => p.metadata.ownerReferences?.some(o => o.uid === newRs.metadata.uid))
      : []
    const ready = newPods.filter(isPodReady).length
    const failure = condition(st, 'ReplicaFailure')
    const progress = {
      newPods,
      desired: dep.spec?.replicas ?? 1,
      updated: st.updatedReplicas ?? 0,
      ready,
      available: st.availableReplicas ?? 0,
      ...(failure?.status === 'True'
        ? {
            findings: [
              {
                cause: 'replica-failure' as const,
                facts: {},
                verdict: 'config-error' as const,
                severity: 'error' as const,
                subject: `replicaset/${newRs?.metadata.name ?? dep.metadata.name}`,
                message: `pods cannot be created: ${failure.message ?? failure.reason ?? 'ReplicaFailure'}`
              }
            ]
          }
        : {})
    }
    const waiting = waitingFor(dep, newPods, ready)
    const progressing = condition(st, 'Progressing')
    if (progressing?.reason === 'ProgressDeadlineExceeded')
      return {
        ...progress,
        phase: 'deadline',
        message: progressing.message ?? 'progress deadline exceeded',
        waitingFor: waiting ?? 'progress'
      }
    if (!waiting) return { ...progress, phase: 'complete' }
    if (dep.spec?.paused)
      return {
        ...progress,
        phase: 'paused',
        waitingFor: `${label} is paused and will not progress until resumed (kubectl rollout resume ${label} -n ${namespace})`
      }
    return { ...progress, phase: 'progressing', waitingFor: waiting }
  },
  commands: {
    restart: t => `kubectl rollout restart ${t.label} -n ${t.namespace}`,
    setImage: (t, c, image) => `kubectl set image ${t.label} ${c}=${image} -n ${t.namespace}`
  }
}
