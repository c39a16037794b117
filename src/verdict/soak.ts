// The soak: once the rollout is complete on the built digest, the new pods must keep working for a while. Pure:
// the state at Ready, then one snapshot at a time (with its diagnosis and the time after Ready) → the next state,
// or the failure with its evidence. Restarts are counted from their value at Ready (or when a pod joined).
import { shortDigest } from '../digest/digest.js'
import { isPodReady } from '../kube/pod.js'
import type { Snapshot } from '../kube/snapshot.js'
import type { ContainerStatus, Pod } from '../kube/types.js'
import { replacedHusk } from './husks.js'
import type { Diagnosis, Finding, FindingVerdict, RunningDigest } from './types.js'

type Workload = Finding['workload']

/** The kubelet's default readiness probe period. */
const DEFAULT_PERIOD_MS = 10_000

/** What ended a soak, as a closed set. */
export type SoakEvent =
  'restart' | 'crash' | 'oom-killed' | 'readiness-lost' | 'evicted' | 'other-digest' | 'failed'

interface SoakPod {
  /** Restarts of its containers when first seen (at Ready, or when it joined): growth is a restart. */
  restarts: number
  /** Ms after Ready it joined (a scale-up, a replacement); undefined for the rollout's own pods. */
  joinedMs?: number
  /** It has been Ready: losing readiness counts from then on. */
  wasReady: boolean
  /** Ms after Ready the action first saw it not Ready (after it had been). */
  notReadySinceMs?: number
}

export interface SoakState {
  pods: Record<string, SoakPod>
  podsAtReady: number
  joined: number
}

export interface SoakFailure {
  event: SoakEvent
  verdict: FindingVerdict
  pod: string
  container?: string
  /** Ms after Ready the action saw it. */
  atMs: number
  /** What happened, in words (without the time). */
  what: string
  finding: Finding
}

export interface SoakStep {
  state: SoakState
  failure?: SoakFailure
  /** Read again within this many ms: a readiness loss becomes a failure then if it lasts. */
  recheckMs?: number
}

/** What the report says of a soak (the `report` output's `soak`). */
export interface SoakReport {
  /** The soak asked for. */
  seconds: number
  /** How long the new pods were watched after Ready. */
  heldSeconds: number
  podsAtReady: number
  podsAtEnd: number
  /** Pods that joined during the soak (scale-ups, replacements). */
  joined: number
  restarts: number
  failure?: { event: SoakEvent; pod: string; container?: string; afterReadySeconds: number }
  /** The deadline came before the soak's end. */
  cutShort?: true
}

/** `20s`, `1.5s`: time after Ready as the words say it. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`
}

function restartsOf(p: Pod): number {
  return (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0)
}

export function startSoak(d: Diagnosis): SoakState {
  const pods: Record<string, SoakPod> = {}
  for (const row of d.pods) {
    const [ready, all] = row.ready.split('/').map(Number)
    pods[row.name] = { restarts: row.restarts, wasReady: all! > 0 && ready === all }
  }
  return { pods, podsAtReady: d.pods.length, joined: 0 }
}

/** The pods a decision counts as the rollout's new pods, as the snapshot holds them. */
function newPods(snap: Snapshot, d: Diagnosis): Pod[] {
  const names = new Set(d.pods.map(p => p.name))
  return snap.pods.filter(p => names.has(p.metadata.name))
}

/**
 * A read in which the controller has not observed the latest spec yet (a scale-up just written) names no new pods
 * although some run: it says nothing about them, and the soak passes over it.
 */
export function podsUnknown(d: Diagnosis): boolean {
  return d.pods.length === 0 && d.replicas.updated > 0
}

export function observeSoak(prev: SoakState, snap: Snapshot, d: Diagnosis, atMs: number): SoakStep {
  // Pods missing from one read are kept: one that shows again has not joined again.
  const pods: Record<string, SoakPod> = { ...prev.pods }
  let joined = prev.joined
  let recheckMs: number | undefined
  const step = (failure?: SoakFailure): SoakStep => ({
    state: { ...prev, pods, joined },
    ...(failure ? { failure } : {}),
    ...(recheckMs !== undefined ? { recheckMs } : {})
  })
  const found = newPods(snap, d)
  const w = snap.workload
  for (const p of found) {
    const name = p.metadata.name
    const known = prev.pods[name] ?? { restarts: 0, joinedMs: atMs, wasReady: false }
    if (!prev.pods[name]) joined++
    pods[name] = known
    const failure = evicted(p, known, atMs, w) ?? crashed(p, known, atMs, d, w)
    if (failure) return step(failure)
  }
  const stale = otherDigest(d, pods, atMs, w)
  if (stale) return step(stale)
  for (const p of found) {
    const r = readiness(p, pods[p.metadata.name]!, atMs, d, w)
    pods[p.metadata.name] = r.pod
    if (r.failure) return step(r.failure)
    if (r.recheckMs !== undefined) recheckMs = Math.min(recheckMs ?? Infinity, r.recheckMs)
  }
  return step(settledFailure(d, atMs))
}

const since = (known: SoakPod): string =>
  known.joinedMs !== undefined ? ` (it joined ${seconds(known.joinedMs)} after Ready)` : ''

/** Evicted by its node (or through the Eviction API): the controller makes a replacement, but it stopped serving. */
function evicted(p: Pod, known: SoakPod, atMs: number, w: Workload): SoakFailure | undefined {
  const husk = replacedHusk(p)
  const disruption = (p.status?.conditions ?? []).find(
    c => c.type === 'DisruptionTarget' && c.status === 'True'
  )
  if (!husk && !disruption) return undefined
  const reason = husk?.reason ?? disruption?.reason ?? 'Evicted'
  const message = husk?.message || disruption?.message || ''
  const node = husk?.node ?? p.spec?.nodeName
  const what = `pod/${p.metadata.name} was evicted${husk?.resource ? ` for ${husk.resource} pressure` : ''}${node ? ` on node ${node}` : ''} (${reason})${since(known)}`
  const finding: Finding = {
    cause: 'replaced',
    facts: {
      reason,
      pods: 1,
      nodes: node ? [node] : [],
      ...(husk?.resource ? { resource: husk.resource } : {})
    },
    verdict: 'crash-loop',
    severity: 'error',
    subject: `pod/${p.metadata.name}`,
    pod: p.metadata.name,
    message: what.replace(/^pod\/\S+ /, ''),
    ...(message ? { detail: [message.trim()] } : {}),
    workload: w
  }
  return { event: 'evicted', verdict: 'crash-loop', pod: p.metadata.name, atMs, what, finding }
}

/** A container that ended or restarted since Ready: its exit (OOMKilled named), with the crash finding's log. */
function crashed(p: Pod, known: SoakPod, atMs: number, d: Diagnosis, w: Workload): SoakFailure | undefined {
  if (p.metadata.deletionTimestamp) return undefined
  const statuses = p.status?.containerStatuses ?? []
  const grew = restartsOf(p) > known.restarts
  const ended = statuses.find(c => endedBadly(c.state?.terminated))
  const cs = ended ?? (grew ? (statuses.find(c => c.lastState?.terminated) ?? statuses[0]) : undefined)
  if (!cs) return undefined
  const last = cs.state?.terminated ?? cs.lastState?.terminated
  const oom = last?.reason === 'OOMKilled'
  const event: SoakEvent = oom ? 'oom-killed' : grew ? 'restart' : 'crash'
  const exit = last
    ? `${last.reason ?? 'terminated'}${last.exitCode !== undefined ? ` (exit ${last.exitCode})` : ''}`
    : 'unknown'
  const restarts = restartsOf(p) - known.restarts
  const verb = oom
    ? 'was OOMKilled (it exceeded its memory limit)'
    : grew
      ? `restarted${restarts > 1 ? ` ${restarts} times` : ''}`
      : 'exited'
  const what = `pod/${p.metadata.name} container ${cs.name} ${verb}${since(known)}; last exit: ${exit}`
  const own = d.findings.find(
    f => f.cause === 'crash' && f.pod === p.metadata.name && f.container === cs.name
  )
  const finding: Finding = own
    ? { ...own, severity: 'error' }
    : {
        cause: 'crash',
        facts: {
          restarts: cs.restartCount ?? 0,
          previousLog: Boolean(cs.lastState?.terminated),
          ...(last?.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
          ...(last?.reason ? { reason: last.reason } : {})
        },
        verdict: 'crash-loop',
        severity: 'error',
        subject: `pod/${p.metadata.name}`,
        pod: p.metadata.name,
        container: cs.name,
        message: what.replace(/^pod\/\S+ container \S+ /, ''),
        workload: w
      }
  return { event, verdict: 'crash-loop', pod: p.metadata.name, container: cs.name, atMs, what, finding }
}

function endedBadly(t: NonNullable<ContainerStatus['state']>['terminated']): boolean {
  return Boolean(t && ((t.exitCode ?? 0) !== 0 || t.reason === 'OOMKilled'))
}

/** A pod (of the rollout, or one that joined) running another digest than was built. */
function otherDigest(
  d: Diagnosis,
  pods: Record<string, SoakPod>,
  atMs: number,
  w: Workload
): SoakFailure | undefined {
  const m: RunningDigest | undefined = d.running.find(r => r.match === 'mismatch')
  if (!m) return undefined
  const own = d.findings.find(f => f.cause === 'digest-mismatch' && f.pod === m.pod)
  const built = own?.cause === 'digest-mismatch' ? own.facts.built : (d.built?.digest ?? '')
  const known = pods[m.pod]
  const joined =
    known?.joinedMs !== undefined
      ? ` joined ${seconds(known.joinedMs)} after Ready (a scale-up or a replacement) and`
      : ''
  const running = m.digest ?? m.imageID
  const what = `pod/${m.pod}${joined} runs ${shortDigest(running)}${m.container ? ` in ${m.container}` : ''}, not the built ${shortDigest(built)}: the image reference resolves to another digest now (a moving tag); deploy by digest`
  const finding: Finding = {
    cause: 'digest-mismatch',
    facts: { running, built },
    verdict: 'stale',
    severity: 'error',
    subject: `pod/${m.pod}`,
    pod: m.pod,
    container: m.container,
    message: what.replace(/^pod\/\S+ /, ''),
    workload: own?.workload ?? w
  }
  return { event: 'other-digest', verdict: 'stale', pod: m.pod, container: m.container, atMs, what, finding }
}

/** The longest readiness probe period of the pod's containers: a loss shorter than that may be one failed probe. */
function periodMs(p: Pod): number {
  const periods = (p.spec?.containers ?? []).map(c => (c.readinessProbe?.periodSeconds ?? 10) * 1000)
  return periods.length ? Math.max(...periods) : DEFAULT_PERIOD_MS
}

function readiness(
  p: Pod,
  known: SoakPod,
  atMs: number,
  d: Diagnosis,
  w: Workload
): { pod: SoakPod; failure?: SoakFailure; recheckMs?: number } {
  if (isPodReady(p)) return { pod: { ...known, wasReady: true, notReadySinceMs: undefined } }
  if (!known.wasReady || p.metadata.deletionTimestamp) return { pod: known }
  const from = known.notReadySinceMs ?? atMs
  const pod = { ...known, notReadySinceMs: from }
  const period = periodMs(p)
  if (atMs - from <= period) return { pod, recheckMs: from + period + 1 - atMs }
  const name = p.metadata.name
  const probe = d.findings.find(f => f.pod === name && f.cause === 'probe')
  const what = `pod/${name} lost readiness ${seconds(from)} after Ready and stayed not Ready for ${Math.ceil((atMs - from) / 100) / 10}s, longer than its readiness probe period (${seconds(period)})${since(known)}`
  const finding: Finding = {
    cause: 'probe',
    facts: { probe: 'Readiness' },
    verdict: 'unhealthy',
    severity: 'error',
    subject: `pod/${name}`,
    pod: name,
    ...(probe?.container ? { container: probe.container } : {}),
    message: what.replace(/^pod\/\S+ /, ''),
    detail: probe ? [probe.message, ...(probe.detail ?? [])] : [],
    workload: probe?.workload ?? w
  }
  return { pod, failure: { event: 'readiness-lost', verdict: 'unhealthy', pod: name, atMs, what, finding } }
}

/** Anything else the decision takes as final (a replacement that cannot start, a failed controller). */
function settledFailure(d: Diagnosis, atMs: number): SoakFailure | undefined {
  if (d.finality !== 'final' || d.verdict === 'success' || d.verdict === 'timeout') return undefined
  const top = d.findings.find(f => f.severity === 'error') ?? d.findings[0]
  if (!top) return undefined
  const pod = top.subject.replace(/^pod\//, '')
  return {
    event: 'failed',
    verdict: d.verdict,
    pod,
    ...(top.container ? { container: top.container } : {}),
    atMs,
    what: d.reason,
    finding: top
  }
}

/** `held 60s: 0 restarts, 3 → 5 pods, all on the built sha256:…`. */
export function heldWords(state: SoakState, d: Diagnosis, heldMs: number): string {
  const now = d.pods.length
  const pods =
    now === state.podsAtReady ? `${now} pod${now === 1 ? '' : 's'}` : `${state.podsAtReady} → ${now} pods`
  const notReady = Object.values(state.pods).filter(p => !p.wasReady).length
  const waiting = notReady > 0 ? `, ${notReady} that joined not Ready yet` : ''
  const matched = d.running.filter(r => r.match === 'match').length
  const image = !d.built
    ? 'image not verified'
    : matched === d.running.length
      ? `all on the built ${shortDigest(d.built.digest)}`
      : `${matched}/${d.running.length} on the built ${shortDigest(d.built.digest)} (the rest still pulling or unverifiable)`
  return `held ${seconds(heldMs)}: 0 restarts, ${pods}${waiting}, ${image}`
}
