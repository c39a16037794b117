// Where a Job stands: Complete, Failed (with the controller's reason), suspended, or still running.
import type { Job, Pod } from '../kube/types.js'
import type { RolloutState } from './rollout.js'

export function jobState(job: Job, pods: Pod[]): RolloutState {
  const st = job.status ?? {}
  const desired = job.spec?.completions ?? 1
  const succeeded = st.succeeded ?? 0
  const cond = (type: string) => (st.conditions ?? []).find(c => c.type === type && c.status === 'True')
  const state: RolloutState = {
    newPods: pods.filter(p => !p.metadata.deletionTimestamp),
    observed: true,
    complete: false,
    paused: Boolean(job.spec?.suspend),
    desired,
    updated: desired,
    ready: succeeded,
    available: succeeded
  }
  const failed = cond('Failed') ?? cond('FailureTarget')
  if (failed) {
    state.failed =
      `job/${job.metadata.name} failed (${failed.reason ?? 'Failed'}): ${failed.message ?? ''}`.trim()
    state.waitingFor = 'nothing: the Job has failed'
  } else if (cond('Complete') ?? cond('SuccessCriteriaMet')) {
    state.complete = true
    state.ready = desired
  } else {
    state.waitingFor = `${succeeded} of ${desired} completions (${st.active ?? 0} active, ${st.failed ?? 0} failed)`
  }
  return state
}
