// A Flux Kustomization, read as kustomize-controller writes it (kustomize.toolkit.fluxcd.io/v1): the Ready
// condition (reasons ReconciliationSucceeded, Progressing, ReconciliationFailed, HealthCheckFailed, BuildFailed,
// ArtifactFailed, …), status.lastAppliedRevision / lastAttemptedRevision (`main@sha1:<sha>`), and
// status.inventory.entries with ids `<namespace>_<name>_<group>_<Kind>`. Pure.
import { kindOfManifest } from '../kinds/registry.js'
import { revisionMatches, shortRevision, type Revision } from './revision.js'
import { movedPast, seenNote } from './supersede.js'
import type { Located, StageState } from './stage.js'

export interface FluxKustomization {
  metadata: { name: string; namespace?: string; generation?: number }
  status?: {
    observedGeneration?: number
    lastAppliedRevision?: string
    lastAttemptedRevision?: string
    conditions?: {
      type?: string
      status?: string
      reason?: string
      message?: string
      observedGeneration?: number
    }[]
    inventory?: { entries?: { id?: string; v?: string }[] }
  }
}

/**
 * Ready=False reasons that end the attempt at a revision; others (DependencyNotReady, Progressing,
 * HealthCheckCanceled) wait. HealthCheckFailed is Flux's own clock running out: the pods are verified instead.
 */
const FAILED = new Set([
  'ReconciliationFailed',
  'HealthCheckFailed',
  'BuildFailed',
  'ArtifactFailed',
  'PruneFailed',
  'InvalidPath',
  'DecryptionFailed',
  'PostBuildSubstitutionFailed'
])

type Condition = NonNullable<NonNullable<FluxKustomization['status']>['conditions']>[number]

/** While Flux runs its health checks (Reconciling=True), the revision's objects are applied already. */
const HEALTH_CHECKS = /^Running health checks for revision (\S+)/

/** Flux moved past the wanted revision: it applied it before another attempt, or this wait saw it so. */
function superseded(
  st: NonNullable<FluxKustomization['status']>,
  want: Revision,
  trail: readonly string[],
  status: string
): StageState | undefined {
  const byStatus = movedPast([st.lastAppliedRevision, st.lastAttemptedRevision], want)
  const by = byStatus ?? movedPast([...trail, st.lastAttemptedRevision], want)
  if (!by) return undefined
  return {
    phase: 'superseded',
    status,
    wanted: want.text,
    by,
    evidence: byStatus
      ? `its lastAppliedRevision is ${shortRevision(want.text)} and its lastAttemptedRevision ${shortRevision(by)}`
      : `this wait saw it attempt ${shortRevision(want.text)}, then ${shortRevision(by)}`
  }
}

/**
 * Keyed on lastAttemptedRevision, as kustomize-controller writes it: it applies a revision, then (with wait or
 * healthChecks) runs its health checks, and only then moves lastAppliedRevision. `trail`: the lastAttemptedRevision
 * of this wait's earlier reads, oldest first.
 */
export function fluxStage(
  ks: FluxKustomization | undefined,
  label: string,
  want?: Revision,
  trail: readonly string[] = []
): StageState {
  if (!ks) return { phase: 'absent', status: `Flux Kustomization ${label} does not exist` }
  const st = ks.status ?? {}
  const cond = (type: string): Condition | undefined => (st.conditions ?? []).find(c => c.type === type)
  const ready = cond('Ready')
  const applied = st.lastAppliedRevision
  const attempted = st.lastAttemptedRevision
  const status = `Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` ${ready.reason}` : ''}${applied ? ` at ${shortRevision(applied)}` : ''}`
  const gone = want ? superseded(st, want, trail, status) : undefined
  if (gone) return gone
  const matches = (r: string | undefined): boolean => (want ? revisionMatches(r, want) : true)
  const generation = ks.metadata.generation ?? 0
  const observed = (st.observedGeneration ?? -1) >= generation
  const failed = observed && ready?.status === 'False' && FAILED.has(ready.reason ?? '') && matches(attempted)
  // Flux's health check gave up on its own clock (spec.timeout): the objects were applied; the pods decide.
  if (failed && ready.reason === 'HealthCheckFailed')
    return {
      phase: 'applied',
      status,
      ...(attempted ? { revision: attempted } : {}),
      ...inventoryOf(ks),
      falseAlarm: `${ready.reason}: ${ready.message ?? ''}`
    }
  if (failed)
    return {
      phase: 'failed',
      status,
      ...(attempted ? { revision: attempted } : {}),
      message: `${ready.reason}: ${ready.message ?? ''}`
    }
  if (observed && ready?.status === 'True' && applied && matches(applied))
    return { phase: 'applied', status, revision: applied, ...inventoryOf(ks) }
  const checking = cond('Reconciling')
  const checked = HEALTH_CHECKS.exec(checking?.status === 'True' ? (checking.message ?? '') : '')?.[1]
  if (
    checked &&
    checked === attempted &&
    matches(checked) &&
    (checking?.observedGeneration ?? generation) >= generation
  )
    return { phase: 'applied', status, revision: checked, ...inventoryOf(ks) }
  const problem =
    ready?.status === 'False' && ready.message
      ? `${ready.reason ?? 'Ready=False'}: ${ready.message}`
      : undefined
  return {
    phase: 'waiting',
    status,
    waitingFor: `Flux to apply ${want ? `revision ${want.text}` : 'the current revision'} with Kustomization ${label} (it is ${status}${observed ? '' : ', generation not observed yet'})`,
    ...(problem ? { problem } : {}),
    ...seenNote(trail, attempted, want)
  }
}

/** Inventory ids: `<namespace>_<name>_<group>_<Kind>` (names and namespaces never hold `_`). */
export function parseInventoryId(
  id: string
): { namespace: string; name: string; group: string; kind: string } | undefined {
  const parts = id.split('_')
  if (parts.length !== 4 || !parts[1] || !parts[3]) return undefined
  return { namespace: parts[0]!, name: parts[1], group: parts[2]!, kind: parts[3] }
}

function inventoryOf(ks: FluxKustomization): { workloads: Located[]; others: number } {
  const workloads: Located[] = []
  let others = 0
  for (const e of ks.status?.inventory?.entries ?? []) {
    const id = e.id ? parseInventoryId(e.id) : undefined
    const known = id
      ? kindOfManifest(id.group ? `${id.group}/${e.v ?? ''}` : (e.v ?? 'v1'), id.kind)
      : undefined
    if (!id || !known || known === 'Pods') {
      others++
      continue
    }
    workloads.push({
      ref: { kind: known, name: id.name },
      namespace: id.namespace || ks.metadata.namespace || 'default'
    })
  }
  return { workloads, others }
}
