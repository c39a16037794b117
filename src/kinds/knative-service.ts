// serving.knative.dev/v1 Service: Ready (with ConfigurationsReady and RoutesReady) and its latest created
// revision ready. Its pods carry its name; the applied YAML calls it `kind: Service`.
import type { KnativeService } from '../kube/types.js'
import { isPodReady } from '../kube/pod.js'
import { condition, live, templateContainers, type Kind, type RolloutState } from './kind.js'

/** Knative's words for a revision it gave up on: an image it could not fetch, or a container that failed. */
export function revisionFailureVerdict(message: string | undefined): 'image-pull' | 'unhealthy' {
  return /pull|image|manifest|unauthorized|not found/i.test(message ?? '') ? 'image-pull' : 'unhealthy'
}

/**
 * Knative marks a revision whose pod the scheduler cannot place not Ready, with the scheduler's words
 * (`0/4 nodes are available: …`), and Ready again once it is placed: a node the autoscaler adds heals it. So it
 * is no failure of the revision: the pods' own scheduling findings decide, as for a Deployment.
 */
export function awaitingScheduling(message: string | undefined): boolean {
  return /\b\d+\/\d+ nodes are available\b/.test(message ?? '')
}

export const knativeService: Kind<KnativeService> = {
  noun: 'ksvc',
  title: 'Knative Service',
  aliases: ['ksvc', 'kservice', 'service.serving.knative.dev', 'services.serving.knative.dev'],
  resource: { group: 'serving.knative.dev', version: 'v1', plural: 'services' },
  manifest: { group: 'serving.knative.dev', kind: 'Service' },
  generation: 'required',
  controller: 'Knative controller',
  pods: { via: 'selector', selector: o => `serving.knative.dev/service=${o.metadata.name}`, owned: false },
  containers: templateContainers,
  rule: ({ object: ksvc, pods, label }): RolloutState => {
    const st = ksvc.status ?? {}
    const created = st.latestCreatedRevisionName
    const ready = condition(st, 'Ready')
    const newPods = live(pods).filter(p => p.metadata.labels?.['serving.knative.dev/revision'] === created)
    const readyPods = newPods.filter(isPodReady).length
    // Scale to zero: a Ready revision may run no pods at all.
    const n = newPods.length
    const progress = { newPods, desired: n, updated: n, ready: readyPods, available: readyPods }
    if (ready?.status === 'True' && created && created === st.latestReadyRevisionName)
      return { ...progress, phase: 'complete' }
    const failing =
      ready?.status === 'False'
        ? ([condition(st, 'ConfigurationsReady'), condition(st, 'RoutesReady')].find(
            c => c?.status === 'False'
          ) ?? ready)
        : undefined
    if (ready && failing && awaitingScheduling(failing.message))
      return {
        ...progress,
        phase: 'progressing',
        waitingFor: `revision ${created ?? '(not created yet)'} to be scheduled (${failing.reason ?? 'Unschedulable'})`
      }
    if (ready && failing) {
      return {
        ...progress,
        phase: 'failed',
        verdict: revisionFailureVerdict(failing.message),
        reason:
          `${label} is not Ready (${failing.reason ?? 'Failed'}): ${failing.message ?? ready.message ?? ''}`.trim()
      }
    }
    return {
      ...progress,
      phase: 'progressing',
      waitingFor: `revision ${created ?? '(not created yet)'} to become Ready${ready?.reason ? ` (${ready.reason})` : ''}`
    }
  },
  commands: {
    inspect: t => `kubectl get ksvc ${t.name} -n ${t.namespace} -o yaml`
  }
}
