// A Flux HelmRelease, read as helm-controller writes it (helm.toolkit.fluxcd.io/v2): status.history (release
// snapshots, newest first: name, namespace, version, status, chartName, chartVersion, configDigest),
// lastAttemptedRevision (the chart version) and lastAttemptedConfigDigest, the Ready, Released and Remediated
// conditions (reasons InstallSucceeded, UpgradeSucceeded, InstallFailed, UpgradeFailed, RollbackSucceeded,
// UninstallSucceeded, …), status.storageNamespace. The workloads are those of the release's manifest, in Helm's
// storage (the record of history[0]). Pure.
import { workloadsOfManifest, type HelmRecord } from './helm.js'
import type { StageState } from './stage.js'

export interface Snapshot {
  name?: string
  namespace?: string
  version?: number
  status?: string
  chartName?: string
  chartVersion?: string
  configDigest?: string
}

interface Condition {
  type?: string
  status?: string
  reason?: string
  message?: string
}

export interface FluxHelmRelease {
  metadata: { name: string; namespace?: string; generation?: number }
  status?: {
    observedGeneration?: number
    lastAttemptedRevision?: string
    lastAttemptedConfigDigest?: string
    storageNamespace?: string
    history?: Snapshot[]
    conditions?: Condition[]
  }
}

/** Helm's own wait gave up inside helm-controller (its spec.timeout): the objects were applied; the pods decide. */
const WAIT_GAVE_UP = /timeout waiting for:|timed out waiting for the condition|context deadline exceeded/i

/** The chart version (`1.4.2`), or the values' config digest (`sha256:…`), that the step waits for. */
export function snapshotMatches(
  s: { chartVersion?: string; configDigest?: string } | undefined,
  want: string
): boolean {
  if (!s) return false
  return want.startsWith('sha256:') ? s.configDigest === want : s.chartVersion === want
}

/** The release as words: `web@1.4.2 (release v3)`. */
export function snapshotWords(s: Snapshot): string {
  return `${s.chartName ?? 'chart'}@${s.chartVersion ?? '?'} (release v${s.version ?? '?'})`
}

/** Helm's storage Secret of the newest snapshot: the release name and version, in the storage namespace. */
export function storageOf(
  hr: FluxHelmRelease
): { namespace: string; release: string; version: number } | undefined {
  const h = hr.status?.history?.[0]
  if (!h?.name || !h.version) return undefined
  const namespace = hr.status?.storageNamespace || h.namespace || hr.metadata.namespace || 'default'
  return { namespace, release: h.name, version: h.version }
}

/** A newer snapshot than the one asked for: helm-controller's history is newest first. */
function superseded(h: Snapshot[], want: string, status: string): StageState | undefined {
  const at = h.findIndex(s => snapshotMatches(s, want))
  if (at <= 0 || snapshotMatches(h[0], want)) return undefined
  return {
    phase: 'superseded',
    status,
    wanted: want,
    by: snapshotWords(h[0]!),
    evidence: `its history lists ${snapshotWords(h[0]!)} after ${snapshotWords(h[at]!)}`
  }
}

/** Where the HelmRelease stands, before its release record is read. */
type Standing =
  | { is: 'superseded'; state: StageState }
  | { is: 'failed'; message: string }
  /** Released: its workloads are verified; `falseAlarm`: Helm's wait inside helm-controller gave up. */
  | { is: 'released'; falseAlarm?: string }
  | { is: 'waiting'; observed: boolean }

function standing(hr: FluxHelmRelease, want: string | undefined, status: string): Standing {
  const st = hr.status ?? {}
  const cond = (type: string): Condition | undefined => (st.conditions ?? []).find(c => c.type === type)
  const [ready, released, remediated] = [cond('Ready'), cond('Released'), cond('Remediated')]
  const history = st.history ?? []
  const observed = (st.observedGeneration ?? -1) >= (hr.metadata.generation ?? 0)
  const last = { chartVersion: st.lastAttemptedRevision, configDigest: st.lastAttemptedConfigDigest }
  const attempted = observed && (!want || snapshotMatches(last, want))
  const failure =
    released?.status === 'False' ? `${released.reason ?? 'Released=False'}: ${released.message ?? ''}` : ''
  if (attempted && remediated?.status === 'True')
    return {
      is: 'failed',
      message: `Flux remediated the release (${remediated.reason ?? 'Remediated'}: ${remediated.message ?? ''})${failure ? ` after ${failure}` : ''}`
    }
  // A rollback by remediation makes a newer release too: that is the attempt's failure, said above.
  const gone = want ? superseded(history, want, status) : undefined
  if (gone) return { is: 'superseded', state: gone }
  if (attempted && failure)
    return WAIT_GAVE_UP.test(released?.message ?? '')
      ? { is: 'released', falseAlarm: failure }
      : { is: 'failed', message: failure }
  const h = history[0]
  if (observed && ready?.status === 'True' && h?.status === 'deployed' && (!want || snapshotMatches(h, want)))
    return { is: 'released' }
  return { is: 'waiting', observed }
}

/** Whether the release record must be read to decide (the release is out: its manifest names the workloads). */
export function wantsRecord(hr: FluxHelmRelease | undefined, want: string | undefined): boolean {
  return hr !== undefined && standing(hr, want, '').is === 'released'
}

/**
 * `record`: the decoded release record of history[0] (its manifest names the workloads); undefined while it was
 * not read.
 */
export function helmReleaseStage(
  hr: FluxHelmRelease | undefined,
  label: string,
  want: string | undefined,
  record: HelmRecord | undefined
): StageState {
  if (!hr) return { phase: 'absent', status: `Flux HelmRelease ${label} does not exist` }
  const ready = (hr.status?.conditions ?? []).find(c => c.type === 'Ready')
  const h = hr.status?.history?.[0]
  const status = `Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` ${ready.reason}` : ''}${h ? ` at ${snapshotWords(h)}: ${h.status ?? '?'}` : ''}`
  const withRevision = h ? { revision: snapshotWords(h) } : {}
  const at = standing(hr, want, status)
  if (at.is === 'superseded') return at.state
  // A failure is the attempt's: the newest release of the attempted chart (a rollback made a newer one).
  const tried = hr.status?.history?.find(s => s.chartVersion === hr.status?.lastAttemptedRevision) ?? h
  if (at.is === 'failed')
    return {
      phase: 'failed',
      status,
      ...(tried ? { revision: snapshotWords(tried) } : {}),
      message: at.message
    }
  if (at.is === 'released' && record) {
    const ns = record.namespace ?? h?.namespace ?? 'default'
    return {
      phase: 'applied',
      status,
      ...withRevision,
      ...workloadsOfManifest(record.manifest, ns),
      ...(at.falseAlarm ? { falseAlarm: at.falseAlarm } : {})
    }
  }
  const observed = at.is === 'waiting' ? at.observed : true
  return {
    phase: 'waiting',
    status,
    waitingFor: `Flux to release ${want ?? 'the current spec'} with HelmRelease ${label} (it is ${status}${observed ? '' : ', generation not observed yet'}${at.is === 'released' ? '; its release record is not readable yet' : ''})`,
    ...(ready?.status === 'False' && ready.message
      ? { problem: `${ready.reason ?? 'Ready=False'}: ${ready.message}` }
      : {})
  }
}
