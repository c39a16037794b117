// What one pod shows: waiting and terminated containers, scheduling, sandbox and probe failures. Each finding
// carries its cause and facts; the message is only their rendering.
import { isPodReady } from '../kube/pod.js'
import type { Snapshot } from '../kube/snapshot.js'
import type { ContainerStatus, KEvent, Pod } from '../kube/types.js'
import { eventsFor, lastSeen, latest, occurrences } from './events.js'
import { describeSchedulingFacts } from './scheduling-words.js'
import { parseFailedScheduling, parseNotTriggerScaleUp, parseTriggeredScaleUp } from './scheduling.js'
import { huskFinding, replacedHusk } from './husks.js'
import {
  IP_EXHAUSTION,
  classifySandbox,
  configRefOf,
  describeConfigRef,
  describePull,
  pullKind
} from './kubelet-words.js'
import type { Observed, ProbeKill, SchedulingFacts } from './types.js'

/** Restarts after which a crash loop is taken as settled: it will not heal by itself. */
export const CRASH_RESTARTS_FINAL = 3

export interface PodDiagnosis {
  findings: Observed[]
  /** A finding that cannot heal by itself (invalid image name, a crash loop past the threshold). */
  final: boolean
}

function lastTermination(cs: ContainerStatus): string | undefined {
  const t = cs.state?.terminated ?? cs.lastState?.terminated
  if (!t) return undefined
  const code = t.exitCode !== undefined ? ` (exit ${t.exitCode})` : ''
  const why =
    t.reason === 'OOMKilled'
      ? 'OOMKilled: the container exceeded its memory limit'
      : (t.reason ?? 'terminated')
  return `${why}${code}${t.message ? ': ' + firstLine(t.message) : ''}`
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]!.slice(0, 300)
}

type Status = ContainerStatus & { init: boolean }

/** The kubelet's `Killing` event for a probe (kuberuntime): `Container web failed liveness probe, will be restarted`. */
const PROBE_KILL = /^(?:Init c|C)ontainer (\S+) failed (liveness|startup) probe/

/** Timestamps of events have whole seconds; a kill is matched to the container's end within this slack. */
const KILL_SLACK_MS = 2_000

/**
 * Whether the kubelet killed the container's last run for a failed liveness or startup probe: a `Killing` event
 * naming the probe, seen while that run lived (or an earlier one, when this run too ended by a signal), and the
 * probe's last failure.
 */
function probeKill(cs: ContainerStatus, own: KEvent[]): ProbeKill | undefined {
  const kills = own.filter(
    e =>
      e.reason === 'Killing' && PROBE_KILL.exec(e.message ?? '')?.[1] === cs.name && ofContainer(e, cs.name)
  )
  const kill = kills[kills.length - 1]
  if (!kill) return undefined
  const run = cs.state?.terminated ?? cs.lastState?.terminated
  const at = Date.parse(lastSeen(kill))
  const from = Date.parse(run?.startedAt ?? '')
  const to = Date.parse(run?.finishedAt ?? '')
  // A kill after this run ended is of the next run.
  if (!Number.isNaN(at) && !Number.isNaN(to) && at > to + KILL_SLACK_MS) return undefined
  // A kill before this run started was of an earlier run, unless this one too ended by a signal (SIGKILL after
  // the grace period, or SIGTERM): the events read last may not hold the newest kill yet.
  const bySignal = (run?.exitCode === 137 || run?.exitCode === 143) && run.reason !== 'OOMKilled'
  if (!Number.isNaN(at) && !Number.isNaN(from) && at < from - KILL_SLACK_MS && !bySignal) return undefined
  const probe = PROBE_KILL.exec(kill.message ?? '')![2] === 'liveness' ? 'Liveness' : 'Startup'
  const failure = latest(
    own.filter(e => ofContainer(e, cs.name) && (e.message ?? '').startsWith(`${probe} probe`)),
    'Unhealthy'
  )
  return { probe, ...(failure?.message ? { failure: firstLine(failure.message) } : {}) }
}

/** `the kubelet killed it because its liveness probe failed (Liveness probe failed: …)`. */
export function describeProbeKill(k: ProbeKill): string {
  return `the kubelet killed it because its ${k.probe.toLowerCase()} probe failed${k.failure ? ` (${k.failure})` : ''}`
}

interface ContainerContext {
  pod: Pod
  subject: string
  own: KEvent[]
  logs: Record<string, string>
}

/** A crash: CrashLoopBackOff, a non-zero exit, or a container running again after one. */
function crash(cs: Status, c: ContainerContext, label: string): { finding?: Observed; final: boolean } {
  const waiting = cs.state?.waiting
  const restarts = cs.restartCount ?? 0
  const logTail = c.logs[`${c.pod.metadata.name}/${cs.name}`]
  const detail = logTail ? { detail: logTail.split('\n').filter(l => l !== '') } : {}
  const last = cs.state?.terminated ?? cs.lastState?.terminated
  const killedBy = last ? probeKill(cs, c.own) : undefined
  const killed = killedBy ? `: ${describeProbeKill(killedBy)}` : ''
  const base = {
    cause: 'crash' as const,
    verdict: 'crash-loop' as const,
    subject: c.subject,
    container: cs.name,
    ...detail
  }
  const facts = (previousLog: boolean) => ({
    restarts,
    previousLog,
    ...(last?.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
    ...(last?.reason ? { reason: last.reason } : {}),
    ...(killedBy ? { killedBy } : {})
  })
  if (waiting?.reason === 'CrashLoopBackOff' || waiting?.reason === 'RunContainerError') {
    // OnFailure pods belong to Jobs, whose backoffLimit decides when retrying ends.
    const final = restarts >= CRASH_RESTARTS_FINAL && c.pod.spec?.restartPolicy !== 'OnFailure'
    const message = `${label} is in ${waiting.reason} after ${restarts} restart${restarts === 1 ? '' : 's'}${killed}; last exit: ${lastTermination(cs) ?? waiting.message ?? 'unknown'}`
    return { final, finding: { ...base, facts: facts(true), severity: 'error', message } }
  }
  const term = cs.state?.terminated
  if (term && (term.exitCode ?? 0) !== 0) {
    const final =
      c.pod.spec?.restartPolicy === 'Never' ||
      restarts >= CRASH_RESTARTS_FINAL ||
      c.pod.status?.phase === 'Failed'
    const message = `${label} exited: ${lastTermination(cs)}${restarts ? ` after ${restarts} restarts` : ''}${killed}`
    return { final, finding: { ...base, facts: facts(restarts > 0), severity: 'error', message } }
  }
  if (cs.state?.running && restarts > 0 && (cs.lastState?.terminated?.exitCode ?? 0) !== 0) {
    const message = `${label} restarted ${restarts} time${restarts === 1 ? '' : 's'}${killed}; last exit: ${lastTermination({ ...cs, state: {} })}`
    const severity = restarts >= CRASH_RESTARTS_FINAL ? ('error' as const) : ('warning' as const)
    return { final: false, finding: { ...base, facts: facts(true), severity, message } }
  }
  return { final: false }
}

/** An event about this container (or about the pod, without a field path). */
function ofContainer(e: KEvent, name: string): boolean {
  return !name || !e.involvedObject.fieldPath || e.involvedObject.fieldPath.includes(`{${name}}`)
}

/** The image the container asks for, as the pod spec writes it. */
function imageOf(pod: Pod, cs: Status): string | undefined {
  const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]
  return spec.find(s => s.name === cs.name)?.image ?? cs.image
}

type Waiting = { reason?: string; message?: string }
type Base = { subject: string; container: string; severity: 'error' }

/** ErrImagePull or ImagePullBackOff: why the pull failed, in the kubelet's latest words for this container. */
function pullFailure(cs: Status, waiting: Waiting, c: ContainerContext, label: string, base: Base): Observed {
  const reason = waiting.reason ?? ''
  const failed = latest(
    c.own.filter(e => ofContainer(e, cs.name)),
    'Failed'
  )
  const kind = pullKind([waiting.message, failed?.message].filter(Boolean).join(' ') || reason)
  const why = describePull(kind)
  const shown = failed?.message ?? waiting.message ?? reason
  // The last pull itself (the kubelet repeats "Error: ImagePullBackOff" while it only waits).
  const pulled = latest(
    c.own.filter(e => /^Failed to pull image/.test(e.message ?? '') && ofContainer(e, cs.name)),
    'Failed'
  )
  const image = imageOf(c.pod, cs)
  return {
    ...base,
    cause: 'image-pull',
    facts: {
      why,
      kind,
      ...(image ? { image } : {}),
      ...(pulled && lastSeen(pulled) ? { failedAt: lastSeen(pulled) } : {})
    },
    verdict: 'image-pull',
    message: `${label} cannot pull its image: ${why}`,
    detail: shown ? [shown] : []
  }
}

/** CreateContainerConfigError or CreateContainerError: the missing Secret or ConfigMap, where the message names one. */
function createFailure(waiting: Waiting, label: string, base: Base): Observed {
  const text = waiting.message ?? waiting.reason ?? ''
  const ref = configRefOf(text)
  const message = `${label} cannot be created: ${ref ? describeConfigRef(ref) : text}`
  const detail = waiting.message ? [waiting.message] : []
  return ref
    ? {
        ...base,
        cause: 'missing-config',
        facts: { ...ref, via: 'container' },
        verdict: 'config-error',
        message,
        detail
      }
    : { ...base, cause: 'create-container', facts: {}, verdict: 'config-error', message, detail }
}

/** A container that cannot start: its image, its configuration. */
function cannotStart(cs: Status, c: ContainerContext, label: string): { finding?: Observed; final: boolean } {
  const waiting = cs.state?.waiting
  const base: Base = { subject: c.subject, container: cs.name, severity: 'error' }
  switch (waiting?.reason) {
    case 'ErrImagePull':
    case 'ImagePullBackOff':
      return { final: false, finding: pullFailure(cs, waiting, c, label, base) }
    case 'InvalidImageName':
    case 'ErrImageNeverPull':
      return {
        final: true,
        finding: {
          ...base,
          cause: 'invalid-image',
          facts: {},
          verdict: 'image-pull',
          message: `${label} has an image that cannot be used: ${firstLine(waiting.message ?? waiting.reason)}`
        }
      }
    case 'CreateContainerConfigError':
    case 'CreateContainerError':
      return { final: false, finding: createFailure(waiting, label, base) }
  }
  return { final: false }
}

function containerFindings(c: ContainerContext): PodDiagnosis {
  const statuses: Status[] = [
    ...(c.pod.status?.initContainerStatuses ?? []).map(s => ({ ...s, init: true })),
    ...(c.pod.status?.containerStatuses ?? []).map(s => ({ ...s, init: false }))
  ]
  const findings: Observed[] = []
  let final = false
  for (const cs of statuses) {
    const label = cs.init ? `init container ${cs.name}` : `container ${cs.name}`
    const r =
      cs.state?.waiting &&
      cs.state.waiting.reason !== 'CrashLoopBackOff' &&
      cs.state.waiting.reason !== 'RunContainerError'
        ? cannotStart(cs, c, label)
        : crash(cs, c, label)
    if (r.finding) findings.push(r.finding)
    final ||= r.final
  }
  return { findings, final }
}

/** The PodScheduled condition holds the scheduler's latest message; events add the autoscaler. */
function scheduling(c: ContainerContext): Observed | undefined {
  const sched = (c.pod.status?.conditions ?? []).find(x => x.type === 'PodScheduled')
  const failedSched = latest(c.own, 'FailedScheduling')
  if (c.pod.spec?.nodeName || (sched?.status !== 'False' && !failedSched)) return undefined
  const text =
    sched?.status === 'False' && sched.message ? sched.message : (failedSched?.message ?? 'unschedulable')
  const parsed = parseFailedScheduling(text)
  const up = latest(c.own, 'TriggeredScaleUp')
  const notUp = latest(c.own, /^NotTriggerScaleUp$|^FailedScaleUp$/)
  const adding =
    up && (!notUp || (up.metadata.creationTimestamp ?? '') >= (notUp.metadata.creationTimestamp ?? ''))
  const facts: SchedulingFacts = {
    ...parsed,
    ...(adding
      ? {
          autoscaler: {
            adding: true,
            says: parseTriggeredScaleUp(up.message ?? '').join(', ') || (up.message ?? '')
          }
        }
      : notUp
        ? { autoscaler: { adding: false, says: parseNotTriggerScaleUp(notUp.message ?? '') } }
        : {})
  }
  return {
    cause: 'unschedulable',
    facts,
    verdict: 'scheduling',
    severity: up && !notUp ? 'warning' : 'error',
    subject: c.subject,
    message: `pod cannot be scheduled: ${describeSchedulingFacts(facts)}`,
    detail: [
      ...parsed.reasons.map(
        r => `${r.text}${r.nodes && parsed.total !== undefined ? ` (${r.nodes}/${parsed.total} nodes)` : ''}`
      ),
      `scheduler: ${text}`
    ]
  }
}

/** Sandbox (CNI) and volume failures only show as events; a container that started since ends them. */
function eventFindings(c: ContainerContext, started: boolean): Observed[] {
  if (started) return []
  const out: Observed[] = []
  const sandbox = latest(c.own, 'FailedCreatePodSandBox')
  if (sandbox) {
    const event = sandbox.message ?? ''
    out.push({
      cause: 'sandbox',
      facts: { event, ipExhausted: IP_EXHAUSTION.test(event) },
      verdict: 'network',
      severity: 'error',
      subject: c.subject,
      message: `${classifySandbox(event)} (${occurrences(sandbox)}×)`,
      detail: [event]
    })
  }
  const mount = latest(c.own, /^FailedMount$|^FailedAttachVolume$/)
  if (mount && /not found|couldn't find/i.test(mount.message ?? '')) {
    const text = mount.message ?? ''
    const ref = configRefOf(text)
    const base = {
      verdict: 'config-error' as const,
      severity: 'error' as const,
      subject: c.subject,
      detail: [text]
    }
    const message = `a volume cannot be mounted: ${ref ? describeConfigRef(ref) : text}`
    out.push(
      ref
        ? { ...base, cause: 'missing-config', facts: { ...ref, via: 'volume' }, message }
        : { ...base, cause: 'volume', facts: {}, message }
    )
  }
  return out
}

/** Readiness: running, not Ready, and the kubelet says why. */
function probe(c: ContainerContext): Observed | undefined {
  const e = latest(c.own, 'Unhealthy')
  if (!e) return undefined
  const kind = /^(Readiness|Liveness|Startup) probe/.exec(e.message ?? '')?.[1] as
    'Readiness' | 'Liveness' | 'Startup' | undefined
  return {
    cause: 'probe',
    facts: kind ? { probe: kind } : {},
    verdict: 'unhealthy',
    severity: 'error',
    subject: c.subject,
    message: `${firstLine(e.message ?? 'probe failed')} (${occurrences(e)}×)`,
    detail: [e.message ?? '']
  }
}

/** `logs` is keyed `pod/container` and holds the previous container's last lines. */
export function diagnosePod(pod: Pod, events: KEvent[], logs: Record<string, string> = {}): PodDiagnosis {
  if (replacedHusk(pod)) return { findings: [], final: false }
  const c: ContainerContext = {
    pod,
    subject: `pod/${pod.metadata.name}`,
    own: eventsFor(events, pod.metadata.uid, pod.metadata.name),
    logs
  }
  const { findings, final: containersFinal } = containerFindings(c)
  let final = containersFinal
  if (pod.status?.phase === 'Failed' && findings.length === 0) {
    final = true
    findings.push({
      cause: 'pod-failed',
      facts: pod.status.reason ? { reason: pod.status.reason } : {},
      verdict: 'crash-loop',
      severity: 'error',
      subject: c.subject,
      message: `pod failed: ${pod.status.reason ?? ''} ${pod.status.message ?? ''}`.trim()
    })
  }
  const sched = scheduling(c)
  if (sched) findings.push(sched)
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
  const started = statuses.some(s => s.state?.running || s.state?.terminated || s.lastState?.terminated)
  findings.push(...eventFindings(c, started))
  const running = (pod.status?.containerStatuses ?? []).some(s => s.state?.running)
  if (running && !isPodReady(pod) && !findings.some(f => f.verdict === 'crash-loop')) {
    const p = probe(c)
    if (p) findings.push(p)
  }
  return { findings: findings.map(f => ({ ...f, pod: pod.metadata.name })), final }
}

/** Every new pod's diagnosis, with the events about each, and the husks their controller keeps replacing. */
export function diagnosePods(snap: Snapshot, pods: Pod[]): PodDiagnosis {
  // Events indexed once by the object they are about: a 1,000-pod rollout must not scan them per pod.
  const byObject = new Map<string, KEvent[]>()
  for (const e of snap.events) {
    const k = e.involvedObject.uid ?? e.involvedObject.name ?? ''
    const list = byObject.get(k)
    if (list) list.push(e)
    else byObject.set(k, [e])
  }
  const findings: Observed[] = []
  let final = false
  for (const p of pods) {
    const own = [
      ...(byObject.get(p.metadata.uid ?? '') ?? []),
      ...(p.metadata.uid ? [] : (byObject.get(p.metadata.name) ?? []))
    ]
    const d = diagnosePod(p, own, snap.logs)
    findings.push(...d.findings)
    final ||= d.final
  }
  const husks = huskFinding(pods)
  if (husks) findings.push(husks)
  return { findings, final: final || husks !== undefined }
}
