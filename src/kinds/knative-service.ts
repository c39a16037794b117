// serving.knative.dev/v1 Service: Ready (with ConfigurationsReady and RoutesReady) and its latest created
// revision ready. Its pods carry its name; the applied YAML calls it `kind: Service`.
import type { Condition, KnativeService } from '../kube/types.js'
import { isPodReady } from '../kube/pod.js'
import { describePull, pullKind } from '../verdict/kubelet-words.js'
import type { Observed } from '../verdict/types.js'
import { condition, live, templateContainers, type Kind, type RolloutState } from './kind.js'

/** Knative's words for a revision it gave up on: an image it could not fetch, or a container that failed. */
export function revisionFailureVerdict(message: string | undefined): 'image-pull' | 'unhealthy' {
  return /pull|image|manifest|unauthorized|not found/i.test(message ?? '') ? 'image-pull' : 'unhealthy'
}

/**
 * Knative's controller resolves each image to a digest before it creates anything; when it cannot, the revision
 * fails with `Unable to fetch image %q: %s` (RevisionContainerMissingMessage, reason ContainerMissing), which the
 * Service's conditions carry as `Revision %q failed with message: %s.`. The image as the template writes it, and
 * the registry's words.
 */
export function unfetchedImage(message: string | undefined): { image: string; words: string } | undefined {
  const m = /Unable to fetch image "((?:[^"\\]|\\.)+)": ([\s\S]*)$/.exec(message ?? '')
  if (!m) return undefined
  const wrapped = /^Revision "[^"]*" failed with message: /.test(message ?? '')
  return { image: goUnquote(m[1]!), words: wrapped ? m[2]!.replace(/\.$/, '') : m[2]! }
}

/** The inside of Go's %q: JSON's escapes for what an image reference may hold; as written otherwise. */
function goUnquote(quoted: string): string {
  try {
    return JSON.parse(`"${quoted}"`) as string
  } catch {
    return quoted
  }
}

/**
 * The image Knative could not fetch as an image-pull finding of the template container that names it, so the
 * annotation lands on that container's `image:` line; undefined when the message names no image.
 */
function revisionImageFinding(
  ksvc: KnativeService,
  failing: Condition,
  subject: string
): Observed | undefined {
  const u = unfetchedImage(failing.message)
  if (!u) return undefined
  const container = templateContainers(ksvc).find(c => c.image === u.image)
  const kind = pullKind(u.words)
  return {
    cause: 'image-pull',
    facts: { why: describePull(kind), kind, image: u.image },
    verdict: 'image-pull',
    severity: 'error',
    subject,
    ...(container ? { container: container.name } : {}),
    message: `Knative cannot fetch image ${u.image}: ${describePull(kind)}`,
    detail: [u.words]
  }
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
      const notReady = `${label} is not Ready (${failing.reason ?? 'Failed'})`
      const finding = revisionImageFinding(ksvc, failing, created ? `revision/${created}` : label)
      if (finding)
        return {
          ...progress,
          phase: 'failed',
          verdict: 'image-pull',
          reason: `${notReady}: ${finding.subject}${finding.container ? ` (${finding.container})` : ''}: ${finding.message}`,
          finding
        }
      return {
        ...progress,
        phase: 'failed',
        verdict: revisionFailureVerdict(failing.message),
        reason: `${notReady}: ${failing.message ?? ready.message ?? ''}`.trim()
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
