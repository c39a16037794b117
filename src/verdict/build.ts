// The build pod: still building, pushed a digest, or ended without one.
import { buildDestinations } from '../digest/destination.js'
import { parseImageReference, type DigestRef, type ImageReference } from '../digest/digest.js'
import { digestFromTerminationMessage, readBuildLog, stripAnsi } from '../digest/sources.js'
import type { BuildEvidence } from '../kube/snapshot.js'
import { normalizeRepository } from './digests.js'
import { hasEnded } from '../kube/pod.js'
import type { AwaitingBuild, Observed } from './types.js'

export type BuildState =
  | { state: 'absent' }
  | { state: 'running'; since?: string }
  /** `at`: when the build container ended, right after its push. */
  | { state: 'pushed'; pushed: DigestRef[]; pod: string; at?: string }
  | { state: 'failed'; finding: Observed }

const TAIL_LINES = 10

export function buildState(b: BuildEvidence): BuildState {
  const pod = b.pod
  if (!pod) return { state: 'absent' }
  const facts = readBuildLog(b.log ?? '')
  const name = `${pod.metadata.namespace ?? b.namespace}/${pod.metadata.name}`
  const statuses = pod.status?.containerStatuses ?? []
  const term = statuses.map(c => c.state?.terminated).find(t => t)
  const at = term?.finishedAt ? { at: term.finishedAt } : {}
  if (facts.pushed.length > 0) return { state: 'pushed', pushed: facts.pushed, pod: name, ...at }
  const fromTermination = digestFromTerminationMessage(term?.message)
  if (fromTermination) return { state: 'pushed', pushed: [{ digest: fromTermination }], pod: name, ...at }
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

/** What the build will push, or pushed: to tell the pull failures it causes from the workload's own. */
export interface BuildTarget {
  build: AwaitingBuild['build']
  state: AwaitingBuild['state']
  /**
   * The images it pushes: from its command line (Kaniko `--destination`, BuildKit `--output`), else, once pushed,
   * the repositories its log names; undefined when neither says.
   */
  images?: ImageReference[]
  /** When it pushed (its container ended). */
  pushedAt?: string
}

export function buildTarget(b: BuildEvidence, s: BuildState): BuildTarget | undefined {
  if (s.state === 'failed') return undefined
  const build = { namespace: b.namespace, ref: b.ref, ...(b.pod ? { pod: b.pod.metadata.name } : {}) }
  const written = b.pod ? buildDestinations(b.pod) : undefined
  if (s.state !== 'pushed') return { build, state: s.state, ...(written ? { images: written } : {}) }
  // `Pushed repo@sha256:…` names the repository, not the tag.
  const logged = s.pushed.flatMap(p => (p.repository ? [{ repository: p.repository, digest: p.digest }] : []))
  const images = written ?? (logged.length > 0 ? logged : undefined)
  return { build, state: 'pushed', ...(images ? { images } : {}), ...(s.at ? { pushedAt: s.at } : {}) }
}

const tagOf = (r: ImageReference): string | undefined => r.tag ?? (r.digest ? undefined : 'latest')

function sameImage(pushed: ImageReference, wanted: ImageReference): boolean {
  if (normalizeRepository(pushed.repository) !== normalizeRepository(wanted.repository)) return false
  return tagOf(pushed) === undefined || tagOf(pushed) === tagOf(wanted)
}

/**
 * A pull failure the build causes, as a finding of what the pod waits for; any other finding as it is. The pod
 * asks by tag for an image the build pod has not pushed yet, or pushed after the kubelet's last pull (the kubelet
 * pulls again only after its back-off, up to 5 minutes). A pull failure that persists after the push stays
 * `image-pull`; so does one of another repository or tag, or of a digest (the build cannot push a digest that a
 * pod already names).
 *
 * - Where the build's destinations can be read, the pod's image must be one of them (repository and tag), and
 *   any answer but an unreachable registry counts: a repository the build has yet to create is answered by many
 *   registries as if credentials were missing (Docker Hub, containerd: "pull access denied, repository does not
 *   exist or may require authorization"), and only the push tells which it was.
 * - Where they cannot be read (another build tool, a destination in a variable or a script the pod reads), the
 *   user still named this build as the source of the image: a tag the registry does not know (not found, manifest
 *   unknown) is what its image looks like before the push, so it is taken as waiting while the build runs. A
 *   refused credential or an unreachable registry is not: no push fixes those, and the user wants to hear of
 *   them when the deadline comes rather than of a build that was only slow.
 */
export function awaitingBuild(f: Observed, t: BuildTarget | undefined): Observed {
  if (!t || f.cause !== 'image-pull' || !f.facts.image) return f
  const wanted = parseImageReference(f.facts.image)
  if (!wanted || wanted.digest) return f
  const kind = f.facts.kind ?? 'other'
  const caused = t.images
    ? kind !== 'unreachable' && t.images.some(p => sameImage(p, wanted))
    : kind === 'not-found'
  if (!caused) return f
  if (t.state === 'pushed') {
    const failed = Date.parse(f.facts.failedAt ?? '')
    const pushed = Date.parse(t.pushedAt ?? '')
    // Same second, or either time unknown: the failure may be after the push, so it stands.
    if (!(failed < pushed)) return f
  }
  const facts: AwaitingBuild = { image: f.facts.image, build: t.build, state: t.state, why: f.facts.why }
  return {
    cause: 'awaiting-build',
    facts,
    verdict: 'timeout',
    severity: 'warning',
    subject: f.subject,
    ...(f.container ? { container: f.container } : {}),
    message: awaitingMessage(facts),
    ...(f.detail ? { detail: f.detail } : {})
  }
}

/** `build pod ci/build-42`, or `build pod (job-name=build-42 in ci)` while none matches. */
export function buildName(b: AwaitingBuild['build']): string {
  return b.pod ? `build pod ${b.namespace}/${b.pod}` : `build pod (${b.ref} in ${b.namespace})`
}

function awaitingMessage(a: AwaitingBuild): string {
  switch (a.state) {
    case 'absent':
      return `cannot pull ${a.image} yet: the ${buildName(a.build)} has not started (${a.why})`
    case 'running':
      return `cannot pull ${a.image} yet: ${buildName(a.build)} has not pushed it (${a.why})`
    case 'pushed':
      return `its last pull of ${a.image} failed before ${buildName(a.build)} pushed it (${a.why} then); the kubelet pulls again after its back-off`
  }
}

/** What the rollout waits for, with `pods` new pods waiting for the build's image. */
export function awaitingWords(a: AwaitingBuild, pods: number): string {
  const who = pods === 1 ? 'the new pod' : `${pods} new pods`
  switch (a.state) {
    case 'absent':
      return `the ${buildName(a.build)} to appear and push ${a.image} (${who} cannot pull it until then)`
    case 'running':
      return `the ${buildName(a.build)} to push ${a.image} (${who} cannot pull it until then)`
    case 'pushed':
      return `the kubelet to pull ${a.image} again (${buildName(a.build)} pushed it after ${pods === 1 ? "the new pod's" : `${pods} new pods'`} last pull; the kubelet retries after its back-off)`
  }
}
