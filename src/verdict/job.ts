// Where a Job stands: Complete, Failed (with the controller's reason), suspended, or still running.
import type { Job, Pod } from '../kube/types.js'
import type { RolloutState } from './rollout.js'

export function jobState(job: Job, pods: Pod[]): RolloutState {
  const st = job.status ?? {}
  const desired = job.spec?.completions ?? 1
  const succeeded = st.succeeded ?? 0
  const cond = (type: string) => (st.conditions ?? []).find(c => c.type === type && c.status === 'True')
  const failed = cond('Failed') ?? cond('FailureTarget')
  const complete = cond('Complete') ?? cond('SuccessCriteriaMet')
  const live = pods.filter(p => !p.metadata.deletionTimestamp)
  const phase = (p: Pod) => p.status?.phase ?? ''
  // A failed attempt the controller will retry is not the verdict: while the Job runs, only active pods are
  // judged; once it has ended, the pods that decided it.
  const judged = failed
    ? live.filter(p => phase(p) === 'Failed')
    : complete
      ? live.filter(p => phase(p) === 'Succeeded')
      : live.filter(p => !['Failed', 'Succeeded'].includes(phase(p)))
  const state: RolloutState = {
    newPods: judged,
    observed: true,
    complete: false,
    paused: Boolean(job.spec?.suspend),
    desired,
    updated: desired,
    ready: succeeded,
    available: succeeded
  }
  if (failed) {
    state.failed =
      `job/${job.metadata.name} failed (${failed.reason ?? 'Failed'}): ${failed.message ?? ''}`.trim()
    state.waitingFor = 'nothing: the Job has failed'
  } else if (complete) {
    state.complete = true
    state.ready = desired
  } else {
    state.waitingFor = `${succeeded} of ${desired} completions (${st.active ?? 0} active, ${st.failed ?? 0} failed)`
  }
  return state
}
