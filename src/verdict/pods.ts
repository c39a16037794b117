// What one pod shows: waiting and terminated containers, scheduling, sandbox and probe failures.
import type { ContainerStatus, KEvent, Pod } from '../kube/types.js'
import { eventsFor, latest, occurrences } from './events.js'
import {
  describeScheduling,
  parseFailedScheduling,
  parseNotTriggerScaleUp,
  parseTriggeredScaleUp
} from './scheduling.js'
import type { Finding } from './types.js'

/** Restarts after which a crash loop is taken as settled: it will not heal by itself. */
export const CRASH_RESTARTS_FINAL = 3

export interface PodDiagnosis {
  findings: Finding[]
  /** A finding that cannot heal by itself (invalid image name, a crash loop past the threshold). */
  final: boolean
}

export function isPodReady(p: Pod): boolean {
  return (p.status?.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True')
}

export function classifyPull(message: string): string {
  if (
    /unauthorized|authentication required|authorization failed|insufficient_scope|\b401\b|\b403\b|forbidden|no basic auth credentials|denied: /i.test(
      message
    ) &&
    !/may require authorization/i.test(message)
  ) {
    return 'registry refused the credentials (check imagePullSecrets)'
  }
  if (/pull access denied|may require authorization/i.test(message))
    return 'the repository does not exist or needs credentials'
  if (/not found|manifest unknown|name unknown|does not exist/i.test(message))
    return 'the image or tag does not exist in the registry'
  if (
    /timeout|timed out|deadline exceeded|connection refused|connection reset|no such host|TLS handshake|toomanyrequests|too many requests|\b429\b|\b50[234]\b|EOF/i.test(
      message
    )
  ) {
    return 'the registry could not be reached or throttled the pull (may be transient)'
  }
  return 'the image could not be pulled'
}

export function classifyConfig(message: string): string {
  let m = /(secret|configmap)s? "([^"]+)" not found/i.exec(message)
  if (m) return `${m[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap'} "${m[2]}" does not exist`
  m = /couldn't find key (\S+) in (Secret|ConfigMap) ([^\s,]+)/i.exec(message)
  if (m) return `key "${m[1]}" is missing from ${m[2]} ${m[3]}`
  return message
}

export function classifySandbox(message: string): string {
  if (
    /assign an IP|no available IP|IP addresses? (are )?exhausted|failed to allocate|ipam|no IP addresses available|insufficient.*IP/i.test(
      message
    )
  ) {
    return 'the CNI plugin could not assign an IP address (IP exhaustion)'
  }
  const plugin = /plugin type="([^"]+)"/.exec(message)
  return plugin
    ? `the CNI plugin "${plugin[1]}" failed to set up the pod network`
    : 'the pod sandbox (network) could not be created'
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

/** `logs` is keyed `pod/container` and holds the previous container's last lines. */
export function diagnosePod(pod: Pod, events: KEvent[], logs: Record<string, string> = {}): PodDiagnosis {
  const name = pod.metadata.name
  const subject = `pod/${name}`
  const own = eventsFor(events, pod.metadata.uid, name)
  const findings: Finding[] = []
  let final = false
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []).map(c => ({ ...c, init: true })),
    ...(pod.status?.containerStatuses ?? []).map(c => ({ ...c, init: false }))
  ]
  const restartNever = pod.spec?.restartPolicy === 'Never'

  for (const cs of statuses) {
    const waiting = cs.state?.waiting
    const restarts = cs.restartCount ?? 0
    const label = cs.init ? `init container ${cs.name}` : `container ${cs.name}`
    const logTail = logs[`${name}/${cs.name}`]
    const detail = logTail ? logTail.split('\n').filter(l => l !== '') : undefined
    switch (waiting?.reason) {
      case 'CrashLoopBackOff':
      case 'RunContainerError': {
        // OnFailure pods belong to Jobs, whose backoffLimit decides when retrying ends.
        const settled = restarts >= CRASH_RESTARTS_FINAL && pod.spec?.restartPolicy !== 'OnFailure'
        final ||= settled
        findings.push({
          verdict: 'crash-loop',
          severity: 'error',
          subject,
          container: cs.name,
          message: `${label} is in ${waiting.reason} after ${restarts} restart${restarts === 1 ? '' : 's'}; last exit: ${lastTermination(cs) ?? waiting.message ?? 'unknown'}`,
          ...(detail ? { detail } : {})
        })
        continue
      }
      case 'ErrImagePull':
      case 'ImagePullBackOff': {
        const failed = latest(
          own.filter(
            e =>
              !cs.name || !e.involvedObject.fieldPath || e.involvedObject.fieldPath.includes(`{${cs.name}}`)
          ),
          'Failed'
        )
        const why = [waiting.message, failed?.message].filter(Boolean).join(' ') || waiting.reason
        findings.push({
          verdict: 'image-pull',
          severity: 'error',
          subject,
          container: cs.name,
          message: `${label} cannot pull its image: ${classifyPull(why)}`,
          detail: [failed?.message ?? waiting.message ?? waiting.reason].filter((x): x is string =>
            Boolean(x)
          )
        })
        continue
      }
      case 'InvalidImageName':
      case 'ErrImageNeverPull':
        final = true
        findings.push({
          verdict: 'image-pull',
          severity: 'error',
          subject,
          container: cs.name,
          message: `${label} has an image that cannot be used: ${firstLine(waiting.message ?? waiting.reason)}`
        })
        continue
      case 'CreateContainerConfigError':
      case 'CreateContainerError':
        findings.push({
          verdict: 'config-error',
          severity: 'error',
          subject,
          container: cs.name,
          message: `${label} cannot be created: ${classifyConfig(waiting.message ?? waiting.reason)}`,
          detail: waiting.message ? [waiting.message] : []
        })
        continue
    }
    const term = cs.state?.terminated
    if (term && (term.exitCode ?? 0) !== 0) {
      const settled = restartNever || restarts >= CRASH_RESTARTS_FINAL || pod.status?.phase === 'Failed'
      final ||= settled
      findings.push({
        verdict: 'crash-loop',
        severity: 'error',
        subject,
        container: cs.name,
        message: `${label} exited: ${lastTermination(cs)}${restarts ? ` after ${restarts} restarts` : ''}`,
        ...(detail ? { detail } : {})
      })
      continue
    }
    if (
      cs.state?.running &&
      restarts > 0 &&
      cs.lastState?.terminated &&
      (cs.lastState.terminated.exitCode ?? 0) !== 0
    ) {
      findings.push({
        verdict: 'crash-loop',
        severity: restarts >= CRASH_RESTARTS_FINAL ? 'error' : 'warning',
        subject,
        container: cs.name,
        message: `${label} restarted ${restarts} time${restarts === 1 ? '' : 's'}; last exit: ${lastTermination({ ...cs, state: {} })}`,
        ...(detail ? { detail } : {})
      })
    }
  }

  if (pod.status?.phase === 'Failed' && findings.length === 0) {
    final = true
    findings.push({
      verdict: 'crash-loop',
      severity: 'error',
      subject,
      message: `pod failed: ${pod.status.reason ?? ''} ${pod.status.message ?? ''}`.trim()
    })
  }

  // Scheduling: the PodScheduled condition holds the scheduler's latest message; events add the autoscaler.
  const sched = (pod.status?.conditions ?? []).find(c => c.type === 'PodScheduled')
  const failedSched = latest(own, 'FailedScheduling')
  if (!pod.spec?.nodeName && (sched?.status === 'False' || failedSched)) {
    const text =
      sched?.status === 'False' && sched.message ? sched.message : (failedSched?.message ?? 'unschedulable')
    const parsed = parseFailedScheduling(text)
    const detail = parsed.reasons.map(
      r => `${r.text}${r.nodes && parsed.total !== undefined ? ` (${r.nodes}/${parsed.total} nodes)` : ''}`
    )
    const up = latest(own, 'TriggeredScaleUp')
    const notUp = latest(own, /^NotTriggerScaleUp$|^FailedScaleUp$/)
    const autoscaler =
      up && (!notUp || (up.metadata.creationTimestamp ?? '') >= (notUp.metadata.creationTimestamp ?? ''))
        ? `; the cluster-autoscaler is adding capacity: ${parseTriggeredScaleUp(up.message ?? '').join(', ') || up.message}`
        : notUp
          ? `; the cluster-autoscaler will not add a node: ${parseNotTriggerScaleUp(notUp.message ?? '')}`
          : ''
    findings.push({
      verdict: 'scheduling',
      severity: up && !notUp ? 'warning' : 'error',
      subject,
      message: `pod cannot be scheduled: ${describeScheduling(parsed)}${autoscaler}`,
      detail: [...detail, `scheduler: ${text}`]
    })
  }

  // Sandbox (CNI) failures only show as events; a sandbox that came up since ends them.
  const sandbox = latest(own, 'FailedCreatePodSandBox')
  const started = statuses.some(c => c.state?.running || c.state?.terminated || c.lastState?.terminated)
  if (sandbox && !started) {
    findings.push({
      verdict: 'network',
      severity: 'error',
      subject,
      message: `${classifySandbox(sandbox.message ?? '')} (${occurrences(sandbox)}×)`,
      detail: [sandbox.message ?? '']
    })
  }

  const mount = latest(own, /^FailedMount$|^FailedAttachVolume$/)
  if (mount && !started && /not found|couldn't find/i.test(mount.message ?? '')) {
    findings.push({
      verdict: 'config-error',
      severity: 'error',
      subject,
      message: `a volume cannot be mounted: ${classifyConfig(mount.message ?? '')}`,
      detail: [mount.message ?? '']
    })
  }

  // Readiness: running, not Ready, and the kubelet says why.
  const running = statuses.some(c => !c.init && c.state?.running)
  if (running && !isPodReady(pod) && !findings.some(f => f.verdict === 'crash-loop')) {
    const probe = latest(own, 'Unhealthy')
    if (probe) {
      findings.push({
        verdict: 'unhealthy',
        severity: 'error',
        subject,
        message: `${firstLine(probe.message ?? 'probe failed')} (${occurrences(probe)}×)`,
        detail: [probe.message ?? '']
      })
    }
  }
  return { findings, final }
}
