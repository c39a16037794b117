// An Argo CD Application, read as Argo CD writes it (argoproj.io/v1alpha1): status.sync {status, revision,
// revisions} (revisions for multi-source apps), status.operationState {phase, message, operation.sync.revision,
// syncResult.revision(s)}, status.history[] (one entry per finished sync, oldest first, ids rising), status.conditions
// (SyncError, ComparisonError, …), status.resources[]. Pure.
import { kindOfManifest } from '../kinds/registry.js'
import { revisionMatches, shortRevision, type Revision } from './revision.js'
import { movedPast, seenNote } from './supersede.js'
import type { Located, StageState } from './stage.js'

interface Sync {
  revision?: string
  revisions?: string[]
}

export interface ArgoApplication {
  metadata: { name: string; namespace?: string }
  spec?: { destination?: { namespace?: string } }
  status?: {
    sync?: Sync & { status?: string }
    health?: { status?: string; message?: string }
    operationState?: {
      phase?: string
      message?: string
      operation?: { sync?: Sync }
      syncResult?: Sync
      finishedAt?: string
    }
    conditions?: { type?: string; message?: string }[]
    history?: (Sync & { id?: number; deployedAt?: string })[]
    resources?: { group?: string; version?: string; kind?: string; namespace?: string; name?: string }[]
  }
}

const ERRORS = new Set(['SyncError', 'ComparisonError'])

function revs(s: Sync | undefined): string[] {
  return [s?.revision, ...(s?.revisions ?? [])].filter((r): r is string => Boolean(r))
}

function names(rs: string[], want?: Revision): boolean {
  return want ? rs.some(r => revisionMatches(r, want)) : true
}

/** The revision Argo CD is at or working on: the last sync operation's, else the one it compared with. */
export function argoAttempt(app: ArgoApplication | undefined): string | undefined {
  const op = app?.status?.operationState
  return revs(op?.operation?.sync)[0] ?? revs(op?.syncResult)[0] ?? revs(app?.status?.sync)[0]
}

/** Argo CD moved past the wanted revision: its history, or the revisions this wait saw, order them. */
function superseded(
  app: ArgoApplication,
  want: Revision,
  trail: readonly string[],
  status: string
): StageState | undefined {
  const now = argoAttempt(app)
  const history = [...(app.status?.history ?? [])].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))
  const byHistory = movedPast([...history.map(h => revs(h)[0]), now], want)
  const byTrail = byHistory ? undefined : movedPast([...trail, now], want)
  const by = byHistory ?? byTrail
  if (!by) return undefined
  return {
    phase: 'superseded',
    status,
    wanted: want.text,
    by,
    evidence: byHistory
      ? `its history shows ${shortRevision(want.text)} applied, then ${shortRevision(by)}`
      : `this wait saw it at ${shortRevision(want.text)}, then at ${shortRevision(by)}`
  }
}

/** `trail`: the revisions Argo CD was seen at (argoAttempt) by the earlier reads of this wait, oldest first. */
export function argoStage(
  app: ArgoApplication | undefined,
  label: string,
  want?: Revision,
  trail: readonly string[] = []
): StageState {
  if (!app) return { phase: 'absent', status: `Argo CD Application ${label} does not exist` }
  const st = app.status ?? {}
  const synced = revs(st.sync)
  const op = st.operationState
  const opRevs = [...revs(op?.syncResult), ...revs(op?.operation?.sync)]
  const at = synced[0] ? ` at ${synced.map(shortRevision).join(', ')}` : ''
  const status = `${st.sync?.status ?? 'Unknown'}, ${st.health?.status ?? 'Unknown'}${at}${op?.phase ? `; last sync ${op.phase}` : ''}`
  const gone = want ? superseded(app, want, trail, status) : undefined
  if (gone) return gone
  const forWant = (rs: string[]): boolean => names(rs, want)
  const wantText = want ? `revision ${want.text}` : 'the current sync'
  // A finished operation that failed for the wanted revision (an operation that never resolved its revision
  // counts when the Application points at it).
  if (op && (op.phase === 'Failed' || op.phase === 'Error') && forWant(opRevs.length > 0 ? opRevs : synced))
    return {
      phase: 'failed',
      status,
      ...(opRevs[0] ? { revision: opRevs[0] } : {}),
      message: op.message || `the sync operation ended ${op.phase}`
    }
  const error = (st.conditions ?? []).find(c => ERRORS.has(c.type ?? ''))
  const errorText = error ? `${error.type}: ${error.message ?? ''}` : undefined
  const running = op && (op.phase === 'Running' || op.phase === 'Terminating')
  if (error && !running && synced.length > 0 && forWant(synced))
    return { phase: 'failed', status, revision: synced[0]!, message: errorText! }
  const opDone = op?.phase === 'Succeeded' && forWant(opRevs)
  const inSync = st.sync?.status === 'Synced' && synced.length > 0 && forWant(synced)
  if (!running && (opDone || inSync)) {
    const revision = (opDone ? opRevs : synced).find(r => !want || revisionMatches(r, want))
    return { phase: 'applied', status, ...(revision ? { revision } : {}), ...resourcesOf(app) }
  }
  return {
    phase: 'waiting',
    status,
    waitingFor: `Argo CD to apply ${wantText} to Application ${label} (it is ${status})`,
    ...(errorText ? { problem: errorText } : {}),
    ...(running && op?.message ? { problem: op.message } : {}),
    ...seenNote(trail, argoAttempt(app), want)
  }
}

/** The workloads of `status.resources`, each in its namespace (the destination's when it has none). */
function resourcesOf(app: ArgoApplication): { workloads: Located[]; others: number } {
  const workloads: Located[] = []
  let others = 0
  const dflt = app.spec?.destination?.namespace || app.metadata.namespace || 'default'
  for (const r of app.status?.resources ?? []) {
    const api = r.group ? `${r.group}/${r.version ?? ''}` : (r.version ?? 'v1')
    const known = r.kind && r.name ? kindOfManifest(api, r.kind) : undefined
    if (!known || known === 'Pods' || !r.name) {
      others++
      continue
    }
    workloads.push({ ref: { kind: known, name: r.name }, namespace: r.namespace || dflt })
  }
  return { workloads, others }
}
