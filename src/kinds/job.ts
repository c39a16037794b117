// batch/v1 Job: Complete, Failed (with the controller's reason), suspended, or still running. Its pods name it
// as their owner; a Job has no observed generation.
import { selectorString } from '../kube/selector.js'
import type { Job, Pod } from '../kube/types.js'
import { isTrue, live, templateContainers, type Kind, type RolloutState } from './kind.js'

export const job: Kind<Job> = {
  noun: 'job',
  title: 'Job',
  aliases: ['job', 'jobs', 'job.batch', 'jobs.batch'],
  resource: { group: 'batch', version: 'v1', plural: 'jobs' },
  manifest: { group: 'batch', kind: 'Job' },
  generation: 'none',
  controller: 'Job controller',
  pods: { via: 'selector', selector: o => selectorString(o.spec?.selector), owned: true },
  containers: templateContainers,
  rule: ({ object: j, pods, label }): RolloutState => {
    const st = j.status ?? {}
    const desired = j.spec?.completions ?? 1
    const succeeded = st.succeeded ?? 0
    const failedType = ['Failed', 'FailureTarget'].find(t => isTrue(st, t))
    const failed = failedType ? st.conditions!.find(c => c.type === failedType) : undefined
    const complete = isTrue(st, 'Complete') || isTrue(st, 'SuccessCriteriaMet')
    const phase = (p: Pod) => p.status?.phase ?? ''
    // A failed attempt the controller will retry is not the verdict: while the Job runs, only active pods are
    // judged; once it has ended, the pods that decided it.
    const newPods = failed
      ? live(pods).filter(p => phase(p) === 'Failed')
      : complete
        ? live(pods).filter(p => phase(p) === 'Succeeded')
        : live(pods).filter(p => !['Failed', 'Succeeded'].includes(phase(p)))
    const progress = { newPods, desired, updated: desired, ready: succeeded, available: succeeded }
    if (failed)
      return {
        ...progress,
        phase: 'failed',
        verdict: 'crash-loop',
        reason: `${label} failed (${failed.reason ?? 'Failed'}): ${failed.message ?? ''}`.trim()
      }
    if (complete) return { ...progress, phase: 'complete', ready: desired }
    if (j.spec?.suspend)
      return {
        ...progress,
        phase: 'paused',
        waitingFor: `${label} is suspended (spec.suspend: true) and will not run until resumed`
      }
    return {
      ...progress,
      phase: 'progressing',
      waitingFor: `${succeeded} of ${desired} completions (${st.active ?? 0} active, ${st.failed ?? 0} failed)`
    }
  }
}
