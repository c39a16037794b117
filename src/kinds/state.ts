// The rollout state of a snapshot's workload: the shared checks kstatus runs before any kind's own rule
// (deletion, observed generation, the standard Reconciling and Stalled conditions), then the kind's rule.
import type { Snapshot } from '../kube/snapshot.js'
import type { WorkloadObject } from '../kube/types.js'
import { condition, type Kind, type Progress, type RolloutState } from './kind.js'
import { kindOf, nameOf } from './registry.js'

function generationWaiting(kind: Kind, o: WorkloadObject): string | undefined {
  const generation = o.metadata.generation ?? 0
  const observedRaw = (o.status as { observedGeneration?: number | string } | undefined)?.observedGeneration
  if (kind.generation === 'none') return undefined
  if (kind.generation === 'if-present' && observedRaw === undefined) return undefined
  // Argo Rollouts writes it as a string.
  if (Number(observedRaw ?? 0) >= generation) return undefined
  return `the ${kind.controller} to observe generation ${generation}`
}

/** A decision the shared checks make alone; undefined: the kind's rule decides. */
function shared(
  kind: Kind,
  o: WorkloadObject,
  label: string,
  p: Progress,
  paused: boolean
): RolloutState | undefined {
  // Which pods are new is unknown until the controller has seen the object's latest spec.
  const unknown = { ...p, newPods: [], ready: 0 }
  if (o.metadata.deletionTimestamp)
    return { ...unknown, phase: 'progressing', waitingFor: `${label} to be recreated (it is being deleted)` }
  // A paused workload waits for a person first, whatever its controller has observed.
  const generation = paused ? undefined : generationWaiting(kind, o)
  if (generation) return { ...unknown, phase: 'progressing', waitingFor: generation }
  const status = o.status as Parameters<typeof condition>[0]
  const reconciling = condition(status, 'Reconciling')
  if (reconciling?.status === 'True')
    return {
      ...p,
      phase: 'progressing',
      waitingFor: `${label} to finish reconciling${reconciling.message ? ` (${reconciling.message})` : ''}`
    }
  const stalled = condition(status, 'Stalled')
  if (stalled?.status === 'True')
    return {
      // Stalled says it all: the kind's own findings (Ready=False) would only repeat it.
      ...p,
      findings: [],
      phase: 'failed',
      verdict: 'unhealthy',
      reason: `${label} is Stalled (${stalled.reason ?? 'Stalled'}): ${stalled.message ?? ''}`.trim()
    }
  return undefined
}

export function progressOf(s: RolloutState): Progress {
  return {
    newPods: s.newPods,
    desired: s.desired,
    updated: s.updated,
    ready: s.ready,
    available: s.available,
    ...(s.findings ? { findings: s.findings } : {})
  }
}

export function rolloutState(snap: Snapshot, object: WorkloadObject): RolloutState {
  const kind = kindOf(snap.workload)
  const label = nameOf(snap.workload)
  const state = kind.rule({
    object,
    pods: snap.pods,
    replicaSets: snap.replicaSets,
    label,
    namespace: snap.workload.namespace
  })
  return shared(kind, object, label, progressOf(state), state.phase === 'paused') ?? state
}
