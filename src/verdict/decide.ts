// The decision table: one snapshot in, one diagnosis out. Pure: no I/O, no clock.
import type { DigestSource } from '../inputs.js'
import type { Snapshot } from '../kube/snapshot.js'
import { buildState } from './build.js'
import { compareDigests, pickBuilt, pickContainer } from './digests.js'
import { diagnosePod } from './pods.js'
import { lastSeen, occurrences } from './events.js'
import type { KEvent, Pod } from '../kube/types.js'
import { progressOf } from './progress.js'
import type { BuiltDigest, Diagnosis, Finding, PodRow, StateVerdict, WarningEvent } from './types.js'
import { shortDigest } from '../digest/digest.js'

export interface DecideOptions {
  digest?: DigestSource
  container?: string
}

/** When several problems show at once, the most specific (the one that explains the others) names the verdict. */
export const PRECEDENCE: StateVerdict[] = [
  'build-failed',
  'crash-loop',
  'config-error',
  'image-pull',
  'network',
  'scheduling',
  'unhealthy',
  'stale'
]

const SEVERITY_RANK = { error: 0, warning: 1, notice: 2 }

export function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      PRECEDENCE.indexOf(a.verdict) - PRECEDENCE.indexOf(b.verdict)
  )
}

export function decide(snap: Snapshot, opts: DecideOptions = {}): Diagnosis {
  const { namespace, name } = snap.workload
  const workload = workloadName(snap.workload.kind, name)
  const empty = { desired: 0, updated: 0, ready: 0, available: 0 }
  const base = {
    findings: [] as Finding[],
    running: [],
    replicas: empty,
    pods: [],
    warnings: [],
    unreadable: snap.unreadable
  }

  if (!snap.object) {
    return {
      ...base,
      verdict: 'not-found',
      finality: 'after-grace',
      reason:
        snap.workload.kind === 'Pods'
          ? `no pods match ${name} in namespace ${namespace}`
          : `${workload} does not exist in namespace ${namespace}`
    }
  }
  const dep = snap.object
  const findings: Finding[] = []

  // The built digest: from the inputs, or from the build pod's log.
  let built: BuiltDigest | undefined
  let buildRunning = false
  let buildWaiting: string | undefined
  const src = opts.digest
  if (src?.kind === 'input' || src?.kind === 'file') {
    const ref = pickBuilt(src.refs, dep, opts.container)!
    built = {
      digest: ref.digest,
      ...(ref.repository ? { repository: ref.repository } : {}),
      source: src.kind === 'input' ? 'expected-digest' : 'digest-file',
      ...(src.kind === 'file' ? { from: src.path } : {})
    }
  } else if (src?.kind === 'build-pod' && snap.build) {
    const b = buildState(snap.build)
    switch (b.state) {
      case 'absent':
        buildWaiting = `the build pod (${snap.build.ref} in ${snap.build.namespace}) to appear`
        break
      case 'running':
        buildRunning = true
        buildWaiting = `the build pod ${snap.build.pod?.metadata.name} to push its image`
        break
      case 'failed':
        return {
          ...base,
          verdict: 'build-failed',
          finality: 'final',
          reason: b.finding.message.replace(
            /^the build/,
            `build pod ${snap.build.namespace}/${snap.build.pod?.metadata.name}`
          ),
          findings: [b.finding],
          buildRunning: false
        }
      case 'pushed': {
        const ref = pickBuilt(b.pushed, dep, opts.container)!
        built = {
          digest: ref.digest,
          ...(ref.repository ? { repository: ref.repository } : {}),
          source: 'build-pod',
          from: b.pod
        }
      }
    }
  }

  const r = progressOf(snap)
  const replicas = { desired: r.desired, updated: r.updated, ready: r.ready, available: r.available }
  const pairs = src?.kind === 'input' ? src.containers : undefined
  const container = pairs
    ? { name: Object.keys(pairs)[0], why: 'named by container=digest pairs' }
    : pickContainer(dep, built, opts.container)
  // With container=digest pairs each named container is compared with its own built digest.
  const running = pairs
    ? Object.entries(pairs).flatMap(([name, ref]) =>
        compareDigests(r.newPods, name, { digest: ref.digest, source: 'expected-digest' })
      )
    : compareDigests(r.newPods, container.name, built)
  let final = false
  // Events indexed once by the object they are about: a 1,000-pod rollout must not scan them per pod.
  const byObject = new Map<string, KEvent[]>()
  for (const e of snap.events) {
    const k = e.involvedObject.uid ?? e.involvedObject.name ?? ''
    const list = byObject.get(k)
    if (list) list.push(e)
    else byObject.set(k, [e])
  }
  for (const p of r.newPods) {
    const own = [
      ...(byObject.get(p.metadata.uid ?? '') ?? []),
      ...(p.metadata.uid ? [] : (byObject.get(p.metadata.name) ?? []))
    ]
    const d = diagnosePod(p, own, snap.logs)
    findings.push(...d.findings)
    final ||= d.final
  }
  if (r.replicaFailure) {
    findings.push({
      verdict: 'config-error',
      severity: 'error',
      subject: `replicaset/${r.newRs?.metadata.name ?? name}`,
      message: `pods cannot be created: ${r.replicaFailure}`
    })
  }
  const out = {
    ...base,
    findings: rankFindings(findings),
    running,
    replicas,
    pods: r.newPods.map(podRow),
    warnings: warningsOf(snap.events),
    unreadable: snap.unreadable,
    ...(built ? { built } : {}),
    buildRunning
  }
  const top = out.findings.find(f => f.severity === 'error') ?? out.findings[0]
  const say = (f: Finding): string => `${f.subject}${f.container ? ` (${f.container})` : ''}: ${f.message}`
  const more = (n: number): string => (n > 1 ? ` (and ${n - 1} more finding${n > 2 ? 's' : ''})` : '')

  if (r.failed) {
    // A failed Job: its pods say why (exit code, OOMKilled, log lines); the controller says that it gave up.
    const verdict = top?.verdict ?? r.failedVerdict ?? 'crash-loop'
    return { ...out, verdict, finality: 'final', reason: top ? `${r.failed}; ${say(top)}` : r.failed }
  }
  if (top && final) {
    const f = out.findings.find(x => x.severity === 'error') ?? top
    return { ...out, verdict: f.verdict, finality: 'final', reason: say(f) + more(out.findings.length) }
  }
  if (r.onDelete) {
    const finding: Finding = { verdict: 'stale', severity: 'error', subject: workload, message: r.onDelete }
    return {
      ...out,
      findings: [finding, ...out.findings],
      verdict: 'stale',
      finality: 'after-grace',
      reason: r.onDelete
    }
  }
  if (r.deadlineExceeded) {
    if (top)
      return {
        ...out,
        verdict: top.verdict,
        finality: 'final',
        reason: `${say(top)}; the Deployment's progress deadline has passed (${r.deadlineExceeded})`
      }
    return {
      ...out,
      verdict: 'timeout',
      finality: 'final',
      reason: `${workload} exceeded its progress deadline: ${r.deadlineExceeded}`,
      waitingFor: r.waitingFor ?? 'progress'
    }
  }

  if (r.complete && r.ready >= r.desired) {
    if (buildWaiting) {
      return {
        ...out,
        verdict: 'progressing',
        finality: 'at-deadline',
        reason: `waiting for ${buildWaiting} (the pods running now may be the old image)`,
        waitingFor: buildWaiting
      }
    }
    if (!container.name) {
      return {
        ...out,
        verdict: 'success',
        finality: 'final',
        reason: `${workload} rolled out: ${r.ready}/${r.desired} new pods Ready; image not verified: ${container.why}`
      }
    }
    if (!built) {
      return {
        ...out,
        verdict: 'success',
        finality: 'final',
        reason: `${workload} rolled out: ${r.ready}/${r.desired} new pods Ready; image not verified (no expected-digest, digest-file or build-pod)`
      }
    }
    const mismatched = running.filter(d => d.match === 'mismatch')
    if (mismatched.length > 0) {
      const first = mismatched[0]!
      const finding: Finding = {
        verdict: 'stale',
        severity: 'error',
        subject: `pod/${first.pod}`,
        container: first.container,
        message: `runs ${shortDigest(first.digest ?? first.imageID)}, not the built ${shortDigest(pairs?.[first.container]?.digest ?? built.digest)}`
      }
      return {
        ...out,
        findings: [finding, ...out.findings],
        verdict: 'stale',
        finality: 'after-grace',
        reason: `${mismatched.length}/${running.length} new pods of ${workload} run ${shortDigest(first.digest ?? '')}${pairs ? ` in ${first.container}` : ''}, not the built ${shortDigest(pairs?.[first.container]?.digest ?? built.digest)}: the rollout did not pick up the new image`
      }
    }
    const unverifiable = running.filter(d => d.match !== 'match')
    if (unverifiable.length > 0) {
      return {
        ...out,
        verdict: 'success',
        finality: 'final',
        reason: `${workload} rolled out: ${r.ready}/${r.desired} new pods Ready; ${unverifiable.length} pod${unverifiable.length > 1 ? 's' : ''} report an image ID that cannot be compared with ${shortDigest(built.digest)} (unverifiable)`
      }
    }
    return {
      ...out,
      verdict: 'success',
      finality: 'final',
      reason: `${workload} rolled out: ${r.ready}/${r.desired} new pods Ready, all running the built ${shortDigest(built.digest)}`
    }
  }

  if (top) {
    return {
      ...out,
      verdict: top.verdict,
      finality: 'at-deadline',
      reason: say(top) + more(out.findings.length),
      waitingFor: r.waitingFor ?? 'new pods to become Ready'
    }
  }
  const waitingFor = r.pausedBecause
    ? r.pausedBecause
    : r.paused
      ? snap.workload.kind === 'Job'
        ? `${workload} is suspended (spec.suspend: true) and will not run until resumed`
        : `${workload} is paused and will not progress until resumed (kubectl rollout resume ${workload} -n ${namespace})`
      : [
          buildWaiting,
          r.waitingFor ??
            (r.newPods.length < r.desired
              ? `${r.newPods.length} of ${r.desired} new pods created`
              : `${r.ready} of ${r.desired} new pods Ready`)
        ]
          .filter(Boolean)
          .join('; ')
  return {
    ...out,
    verdict: 'progressing',
    finality: 'at-deadline',
    reason: `waiting for ${waitingFor}`,
    waitingFor
  }
}

export function podRow(p: Pod): PodRow {
  const statuses = p.status?.containerStatuses ?? []
  const total = p.spec?.containers.length ?? statuses.length
  const withState = [...(p.status?.initContainerStatuses ?? []), ...statuses].find(
    c => c.state?.waiting?.reason || c.state?.terminated?.reason
  )
  const state = withState?.state?.waiting?.reason ?? withState?.state?.terminated?.reason
  const unscheduled = (p.status?.conditions ?? []).find(
    c => c.type === 'PodScheduled' && c.status === 'False'
  )
  return {
    name: p.metadata.name,
    phase: p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Unknown'),
    ready: `${statuses.filter(c => c.ready).length}/${total}`,
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    ...(state ? { state } : unscheduled ? { state: unscheduled.reason ?? 'Unschedulable' } : {})
  }
}

export function warningsOf(events: KEvent[]): WarningEvent[] {
  return events
    .filter(e => e.type === 'Warning')
    .sort((a, b) => lastSeen(b).localeCompare(lastSeen(a)))
    .map(e => ({
      object: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: occurrences(e),
      lastSeen: lastSeen(e)
    }))
}

/** How a workload is named in words: `deployment/web`, `ksvc/web`, `pods -l app=web`. */
export function workloadName(kind: Snapshot['workload']['kind'], name: string): string {
  if (kind === 'Pods') return `pods -l ${name}`
  if (kind === 'KnativeService') return `ksvc/${name}`
  return `${kind.toLowerCase()}/${name}`
}
