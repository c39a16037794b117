// The build pod: still building, pushed a digest, or ended without one.
import type { DigestRef } from '../digest/digest.js'
import { digestFromTerminationMessage, readBuildLog, stripAnsi } from '../digest/sources.js'
import type { BuildEvidence } from '../kube/snapshot.js'
import { hasEnded } from './pods.js'
import type { Observed } from './types.js'

export type BuildState =
  | { state: 'absent' }
  | { state: 'running'; since?: string }
  | { state: 'pushed'; pushed: DigestRef[]; pod: string }
  | { state: 'failed'; finding: Observed }

const TAIL_LINES = 10

export function buildState(b: BuildEvidence): BuildState {
  const pod = b.pod
  if (!pod) return { state: 'absent' }
  const facts = readBuildLog(b.log ?? '')
  const name = `${pod.metadata.namespace ?? b.namespace}/${pod.metadata.name}`
  if (facts.pushed.length > 0) return { state: 'pushed', pushed: facts.pushed, pod: name }
  const statuses = pod.status?.containerStatuses ?? []
  const term = statuses.map(c => c.state?.terminated).find(t => t)
  const fromTermination = digestFromTerminationMessage(term?.message)
  if (fromTermination) return { state: 'pushed', pushed: [{ digest: fromTermination }], pod: name }
  if (!hasEnded(pod))
    return { state: 'running', ...(pod.status?.startTime ? { since: pod.status.startTime } : {}) }
  const lines = stripAnsi(b.log ?? '')
    .split('\n')
    .filter(l => l.trim() !== '')
  const tail = facts.errors.length > 0 ? facts.errors.slice(-TAIL_LINES) : lines.slice(-TAIL_LINES)
  const exit = term
    ? `exit code ${term.exitCode ?? '?'}${term.reason ? ` (${term.reason})` : ''}`
    : `phase ${pod.status?.phase}`
  const last = facts.errors[facts.errors.length - 1]
  return {
    state: 'failed',
    finding: {
      cause: 'build',
      facts: term?.exitCode !== undefined ? { exitCode: term.exitCode } : {},
      verdict: 'build-failed',
      severity: 'error',
      subject: `build pod ${name}`,
      message: `the build ended (${exit}) without pushing an image${last ? `: ${last.slice(0, 300)}` : ''}`,
      detail: tail
    }
  }
}
