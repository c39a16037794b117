// Any other kind, by its standard status as kstatus reads it: the shared checks (deletion, observed generation,
// Reconciling and Stalled) have run; then Ready, else Available, decides. A Ready=False condition names the
// controller's reason but may still heal (a certificate being issued), so it ends the wait only at the deadline.
// Without either condition the object is current once its controller has observed it. Pods, where it has a selector.
import { selectorString } from '../kube/selector.js'
import type { Condition, LabelSelector, ObjectMeta, PodTemplate } from '../kube/types.js'
import { isPodReady } from '../kube/pod.js'
import { condition, live, templateContainers, type Kind, type RolloutState } from './kind.js'

export interface CustomObject {
  kind?: string
  metadata: ObjectMeta
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplate }
  status?: { observedGeneration?: number; conditions?: Condition[] }
}

export const generic: Kind<CustomObject> = {
  noun: 'resource',
  title: 'resource',
  aliases: [],
  generation: 'if-present',
  controller: 'its controller',
  pods: {
    via: 'selector',
    selector: o => (o.spec?.selector ? selectorString(o.spec.selector) : undefined),
    owned: false
  },
  containers: templateContainers,
  rule: ({ object: o, pods, label, namespace }): RolloutState => {
    const newPods = live(pods)
    const ready = newPods.filter(isPodReady).length
    const desired = o.spec?.replicas ?? newPods.length
    const progress = { newPods, desired, updated: newPods.length, ready, available: ready }
    const c = condition(o.status, 'Ready') ?? condition(o.status, 'Available')
    // kstatus takes an object without status as current; right after an apply that is a controller not yet at work.
    if (!c && o.status?.observedGeneration === undefined)
      return { ...progress, phase: 'progressing', waitingFor: `${label} to get a status from its controller` }
    if (!c || c.status === 'True') return { ...progress, phase: 'complete', ready: Math.max(ready, desired) }
    const why = `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`
    if (c.status === 'False')
      return {
        ...progress,
        phase: 'progressing',
        waitingFor: `${label} to become ${c.type}`,
        findings: [
          {
            cause: 'controller',
            facts: { inspect: `kubectl describe ${label} -n ${namespace}` },
            verdict: 'unhealthy',
            severity: 'error',
            subject: label,
            message: `${label} is not ${c.type}: ${why}`
          }
        ]
      }
    return { ...progress, phase: 'progressing', waitingFor: `${label} to become ${c.type} (${why})` }
  },
  commands: { inspect: t => `kubectl describe ${t.label} -n ${t.namespace}` }
}
