// A Flux Kustomization, read as kustomize-controller writes it (kustomize.toolkit.fluxcd.io/v1): the Ready
// condition (reasons ReconciliationSucceeded, Progressing, ReconciliationFailed, HealthCheckFailed, BuildFailed,
// ArtifactFailed, …), status.lastAppliedRevision / lastAttemptedRevision (`main@sha1:<sha>`), and
// status.inventory.entries with ids `<namespace>_<name>_<group>_<Kind>`. Pure.
import { kindOfManifest } from '../kinds/registry.js'
import { revisionMatches, shortRevision, type Revision } from './revision.js'
import type { Located, StageState } from './stage.js'

export interface FluxKustomization {
  metadata: { name: string; namespace?: string; generation?: number }
  status?: {
    observedGeneration?: number
    lastAppliedRevision?: string
    lastAttemptedRevision?: string
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[]
    inventory?: { entries?: { id?: string; v?: string }[] }
  }
}

/** Ready=False reasons that end the attempt at a revision; others (DependencyNotReady, Progressing) wait. */
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

export function fluxStage(ks: FluxKustomization | undefined, label: string, want?: Revision): StageState {
  if (!ks) return { phase: 'absent', status: `Flux Kustomization ${label} does not exist` }
  const st = ks.status ?? {}
  const ready = (st.conditions ?? []).find(c => c.type === 'Ready')
  const applied = st.lastAppliedRevision
  const attempted = st.lastAttemptedRevision
  const status = `Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` ${ready.reason}` : ''}${applied ? ` at ${shortRevision(applied)}` : ''}`
  const matches = (r: string | undefined): boolean => (want ? revisionMatches(r, want) : true)
  const observed = (st.observedGeneration ?? -1) >= (ks.metadata.generation ?? 0)
  if (observed && ready?.status === 'False' && FAILED.has(ready.reason ?? '') && matches(attempted))
    return {
      phase: 'failed',
      status,
      ...(attempted ? { revision: attempted } : {}),
      message: `${ready.reason}: ${ready.message ?? ''}`
    }
  if (observed && ready?.status === 'True' && applied && matches(applied))
    return { phase: 'applied', status, revision: applied, ...inventoryOf(ks) }
  const problem =
    ready?.status === 'False' && ready.message
      ? `${ready.reason ?? 'Ready=False'}: ${ready.message}`
      : undefined
  return {
    phase: 'waiting',
    status,
    waitingFor: `Flux to apply ${want ? `revision ${want.text}` : 'the current revision'} with Kustomization ${label} (it is ${status}${observed ? '' : ', generation not observed yet'})`,
    ...(problem ? { problem } : {})
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
