// The decision: one snapshot in, one diagnosis out. Pure: no I/O, no clock. A short pipeline: the built digest,
// the images the new pods run, each pod's diagnosis, the kind's rule, then the precedence table.
import { kindOf, nameOf } from '../kinds/registry.js'
import { rolloutState } from '../kinds/state.js'
import type { RolloutState } from '../kinds/kind.js'
import type { Snapshot } from '../kube/snapshot.js'
import { shortDigest } from '../digest/digest.js'
import { awaitingBuild, awaitingWords } from './build.js'
import { builtDigest, images, type DecideOptions, type Images } from './evidence.js'
import { diagnosePods } from './pods.js'
import { podRow, warningsOf } from './rows.js'
import { SEVERITY_RANK, VERDICT } from './table.js'
import { newPodsReady } from './words.js'
import type { BuiltDigest, Diagnosis, Finding, RunningDigest } from './types.js'

export type { DecideOptions } from './evidence.js'

/** Errors first; among equals, the most specific verdict (the one that explains the others). */
export function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      VERDICT[a.verdict].rank - VERDICT[b.verdict].rank
  )
}

type Evidence = Omit<Diagnosis, 'verdict' | 'finality' | 'reason' | 'waitingFor'>

/** What the precedence table reads. */
interface Facts {
  snap: Snapshot
  label: string
  state: RolloutState
  out: Evidence
  /** The first error finding, else the first finding. */
  top?: Finding
  /** A finding that cannot heal by itself. */
  final: boolean
  build: { built?: BuiltDigest; waiting?: string }
  images: Images
}

const say = (f: Finding): string => `${f.subject}${f.container ? ` (${f.container})` : ''}: ${f.message}`
const more = (n: number): string => (n > 1 ? ` (and ${n - 1} more finding${n > 2 ? 's' : ''})` : '')

/** The controller's own account of its failure, with the command that shows it. */
function controllerFinding(x: Facts, verdict: Finding['verdict'], message: string): Finding {
  const inspect = kindOf(x.snap.workload).commands?.inspect?.(target(x))
  return {
    cause: 'controller',
    facts: inspect ? { inspect } : {},
    verdict,
    severity: 'error',
    subject: x.label,
    message,
    workload: x.snap.workload
  }
}

/**
 * The controller gave up (a failed Job, a Degraded Rollout): its pods say why, else the controller does (in a
 * finding of the kind's rule where it made one, as for the image Knative could not fetch).
 */
function failed(x: Facts): Diagnosis | undefined {
  const s = x.state
  if (s.phase !== 'failed') return undefined
  if (x.top)
    return { ...x.out, verdict: x.top.verdict, finality: 'final', reason: `${s.reason}; ${say(x.top)}` }
  const finding: Finding = s.finding
    ? ({ ...s.finding, workload: x.snap.workload } as Finding)
    : controllerFinding(x, s.verdict, s.reason)
  return {
    ...x.out,
    findings: [finding, ...x.out.findings],
    verdict: s.verdict,
    finality: 'final',
    reason: s.reason
  }
}

function settled(x: Facts): Diagnosis | undefined {
  if (!x.top || !x.final) return undefined
  const f = x.out.findings.find(y => y.severity === 'error') ?? x.top
  return { ...x.out, verdict: f.verdict, finality: 'final', reason: say(f) + more(x.out.findings.length) }
}

/** It will not go on by itself (StatefulSet OnDelete). */
function stuck(x: Facts): Diagnosis | undefined {
  if (x.state.phase !== 'stuck') return undefined
  const finding = { ...x.state.finding, workload: x.snap.workload } as Finding
  return {
    ...x.out,
    findings: [finding, ...x.out.findings],
    verdict: 'stale',
    finality: 'after-grace',
    reason: finding.message
  }
}

function deadline(x: Facts): Diagnosis | undefined {
  const s = x.state
  if (s.phase !== 'deadline') return undefined
  const title = kindOf(x.snap.workload).title
  if (x.top)
    return {
      ...x.out,
      verdict: x.top.verdict,
      finality: 'final',
      reason: `${say(x.top)}; the ${title}'s progress deadline has passed (${s.message})`
    }
  return {
    ...x.out,
    verdict: 'timeout',
    finality: 'final',
    reason: `${x.label} exceeded its progress deadline: ${s.message}`,
    waitingFor: s.waitingFor
  }
}

/** Rolled out: the image decides between success and stale. */
function complete(x: Facts): Diagnosis | undefined {
  const { state: s, label, build, images: im, out } = x
  if (s.phase !== 'complete' || s.ready < s.desired) return undefined
  const done = `${label} rolled out: ${s.ready}/${s.desired} new pods Ready`
  if (build.waiting)
    return waiting(
      x,
      build.waiting,
      `waiting for ${build.waiting} (the pods running now may be the old image)`
    )
  // Unconfirmed by the digest, a kind whose Ready may still be the previous spec's must hold it for `grace`.
  const unconfirmed = kindOf(x.snap.workload).readyMayBePrevious
    ? ('after-grace' as const)
    : ('final' as const)
  const success = (reason: string, finality: 'final' | 'after-grace' = unconfirmed): Diagnosis => ({
    ...out,
    verdict: 'success',
    finality,
    reason
  })
  if (!im.container.name) return success(`${done}; image not verified: ${im.container.why}`)
  const built = build.built
  // Scaled to zero: complete by every rule, and nothing ran the image.
  if (s.desired === 0 && s.newPods.length === 0)
    return {
      ...success(
        `${label} has 0 desired pods: nothing ran, so the ${built ? `built ${shortDigest(built.digest)}` : 'image'} was not verified`
      ),
      nothingRan: true
    }
  if (!built) return success(`${done}; image not verified (no expected-digest, digest-file or build-pod)`)
  const mismatched = im.running.filter(d => d.match === 'mismatch')
  if (mismatched.length > 0) return stale(x, mismatched, built)
  const unverifiable = im.running.filter(d => d.match !== 'match').length
  if (unverifiable > 0)
    return success(
      `${done}; ${unverifiable} pod${unverifiable > 1 ? 's' : ''} report an image ID that cannot be compared with ${shortDigest(built.digest)} (unverifiable)`
    )
  return success(`${done}, all running the built ${shortDigest(built.digest)}`, 'final')
}

/** The template's image reference when it pins a digest other than the built one: a redeploy runs it again. */
function pinnedImage(x: Facts, container: string, want: string): string | undefined {
  const image = kindOf(x.snap.workload)
    .containers(x.snap.object!)
    .find(c => c.name === container)?.image
  const pinned = /@(sha256:[0-9a-f]{64})$/.exec(image ?? '')?.[1]
  return pinned && pinned !== want ? image : undefined
}

function stale(x: Facts, mismatched: RunningDigest[], built: BuiltDigest): Diagnosis {
  const first = mismatched[0]!
  const want = x.images.pairs?.[first.container]?.digest ?? built.digest
  const pinned = pinnedImage(x, first.container, want)
  const pins = pinned
    ? `its pod template pins ${pinned.replace(/@sha256:[0-9a-f]{64}$/, '')}@${shortDigest(pinned.split('@').pop()!)} (container ${first.container})`
    : undefined
  const finding: Finding = {
    cause: 'digest-mismatch',
    facts: { running: first.digest ?? first.imageID, built: want, ...(pinned ? { pinned } : {}) },
    verdict: 'stale',
    severity: 'error',
    subject: `pod/${first.pod}`,
    pod: first.pod,
    container: first.container,
    message: `runs ${shortDigest(first.digest ?? first.imageID)}, not the built ${shortDigest(want)}${pins ? `: ${pins}` : ''}`,
    workload: x.snap.workload
  }
  const why = pins
    ? `${pins}, so a redeploy runs the same digest; the image reference must change to the built digest`
    : 'the rollout did not pick up the new image'
  return {
    ...x.out,
    findings: [finding, ...x.out.findings],
    verdict: 'stale',
    finality: 'after-grace',
    reason: `${mismatched.length}/${x.images.running.length} new pods of ${x.label} run ${shortDigest(first.digest ?? '')}${x.images.pairs ? ` in ${first.container}` : ''}, not the built ${shortDigest(want)}: ${why}`
  }
}

/**
 * The new pods wait for the image the build pod has not pushed yet (or pushed after the kubelet's last pull):
 * waiting, and at the deadline `timeout` naming the build, not `image-pull`.
 */
function awaitingImage(x: Facts): Diagnosis | undefined {
  if (x.top?.cause !== 'awaiting-build') return undefined
  const pods = new Set(x.out.findings.filter(f => f.cause === 'awaiting-build').map(f => f.subject)).size
  return waiting(x, awaitingWords(x.top.facts, pods))
}

/** Something is wrong but may still heal: named now, final only at the deadline. */
function unsettled(x: Facts): Diagnosis | undefined {
  if (!x.top) return undefined
  const waitingFor = 'waitingFor' in x.state ? x.state.waitingFor : 'new pods to become Ready'
  return {
    ...x.out,
    verdict: x.top.verdict,
    finality: 'at-deadline',
    reason: say(x.top) + more(x.out.findings.length),
    waitingFor
  }
}

function progressing(x: Facts): Diagnosis {
  const s = x.state
  const counts =
    s.newPods.length < s.desired
      ? `${s.newPods.length} of ${s.desired} new pods created`
      : newPodsReady(s.ready, s.desired)
  return waiting(
    x,
    s.phase === 'paused'
      ? s.waitingFor
      : [x.build.waiting, 'waitingFor' in s ? s.waitingFor : counts].filter(Boolean).join('; ')
  )
}

/** Nothing is wrong yet and nothing is done: the wait goes on, and says what for. */
function waiting(x: Facts, waitingFor: string, reason = `waiting for ${waitingFor}`): Diagnosis {
  return { ...x.out, verdict: 'progressing', finality: 'at-deadline', reason, waitingFor }
}

/** The precedence table: the first rule that speaks names the verdict. */
const PRECEDENCE = [failed, settled, stuck, deadline, complete, awaitingImage, unsettled]

function target(x: { snap: Snapshot; label: string }): { name: string; label: string; namespace: string } {
  return { name: x.snap.workload.name, label: x.label, namespace: x.snap.workload.namespace }
}

function empty(snap: Snapshot): Evidence {
  return {
    findings: [],
    running: [],
    replicas: { desired: 0, updated: 0, ready: 0, available: 0 },
    pods: [],
    warnings: [],
    unreadable: snap.unreadable
  }
}

/** No object: the workload does not exist, or its kind is not served (its CRD not installed). */
function notFound(snap: Snapshot, label: string): Diagnosis {
  const t = target({ snap, label })
  const reason = snap.unserved
    ? `${label} cannot exist in namespace ${t.namespace}: ${snap.unserved}`
    : (kindOf(snap.workload).absent?.(t) ?? `${label} does not exist in namespace ${t.namespace}`)
  return { ...empty(snap), verdict: 'not-found', finality: 'after-grace', reason }
}

export function decide(snap: Snapshot, opts: DecideOptions = {}): Diagnosis {
  const label = nameOf(snap.workload)
  const kind = kindOf(snap.workload)
  if (!snap.object) return notFound(snap, label)
  const containers = kind.containers(snap.object)
  const build = builtDigest(snap, opts, containers)
  if ('failed' in build)
    return {
      ...empty(snap),
      verdict: 'build-failed',
      finality: 'final',
      reason: build.reason,
      findings: [{ ...build.failed, workload: snap.workload } as Finding],
      buildRunning: false
    }
  const state = rolloutState(snap, snap.object)
  const im = images(state.newPods, containers, build.built, opts)
  const pods = diagnosePods(snap, state.newPods)
  // A pull failure of the image the build has not pushed yet is what the rollout waits for, not a failure.
  const findings = rankFindings(
    [...pods.findings, ...(state.findings ?? [])].map(
      f => ({ ...awaitingBuild(f, build.target), workload: snap.workload }) as Finding
    )
  )
  const out: Evidence = {
    ...empty(snap),
    findings,
    running: im.running,
    replicas: {
      desired: state.desired,
      updated: state.updated,
      ready: state.ready,
      available: state.available
    },
    pods: state.newPods.map(podRow),
    warnings: warningsOf(snap.events),
    ...(build.built ? { built: build.built } : {}),
    buildRunning: build.running
  }
  const top = findings.find(f => f.severity === 'error') ?? findings[0]
  const facts: Facts = {
    snap,
    label,
    state,
    out,
    ...(top ? { top } : {}),
    final: pods.final,
    build,
    images: im
  }
  for (const rule of PRECEDENCE) {
    const d = rule(facts)
    if (d) return d
  }
  return progressing(facts)
}
