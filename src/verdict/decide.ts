// The decision: one snapshot in, one diagnosis out. Pure: no I/O, no clock. A short pipeline: the built digest,
// the images the new pods run, each pod's diagnosis, the kind's rule, then the precedence table.
import type { DigestSource } from '../digest/sources.js'
import { kindOf, nameOf } from '../kinds/registry.js'
import { rolloutState } from '../kinds/state.js'
import type { RolloutState } from '../kinds/kind.js'
import type { Snapshot } from '../kube/snapshot.js'
import type { Container, KEvent, Pod } from '../kube/types.js'
import { shortDigest } from '../digest/digest.js'
import { awaitingBuild, awaitingWords, buildState, buildTarget, type BuildTarget } from './build.js'
import { compareDigests, pickBuilt, pickContainer } from './digests.js'
import { lastSeen, occurrences } from './events.js'
import { replacedHusk, type Husk } from './husks.js'
import { diagnosePod } from './pods.js'
import { SEVERITY_RANK, VERDICT } from './table.js'
import { newPodsReady } from './words.js'
import type {
  BuiltDigest,
  Diagnosis,
  Finding,
  Observed,
  PodRow,
  RunningDigest,
  WarningEvent
} from './types.js'

export interface DecideOptions {
  digest?: DigestSource
  container?: string
}

/** Errors first; among equals, the most specific verdict (the one that explains the others). */
export function rankFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      VERDICT[a.verdict].rank - VERDICT[b.verdict].rank
  )
}

type Evidence = Omit<Diagnosis, 'verdict' | 'finality' | 'reason' | 'waitingFor'>

/**
 * The built digest: from the inputs, or from the build pod's log; or the build failed. `target`: what the build
 * pod will push (or pushed), to tell the pull failures it causes from the workload's own.
 */
type Build =
  | { built?: BuiltDigest; running: boolean; waiting?: string; target?: BuildTarget }
  | { failed: Observed; reason: string }

function builtDigest(snap: Snapshot, opts: DecideOptions, containers: Container[]): Build {
  const src = opts.digest
  if (src?.kind === 'input' || src?.kind === 'file') {
    const ref = pickBuilt(src.refs, containers, opts.container)!
    return {
      running: false,
      built: builtFrom(
        ref,
        src.kind === 'input' ? 'expected-digest' : 'digest-file',
        src.kind === 'file' ? src.path : undefined
      )
    }
  }
  if (src?.kind !== 'build-pod' || !snap.build) return { running: false }
  const b = buildState(snap.build)
  const pod = `${snap.build.namespace}/${snap.build.pod?.metadata.name}`
  const t = buildTarget(snap.build, b)
  const target = t ? { target: t } : {}
  switch (b.state) {
    case 'absent':
      return {
        running: false,
        waiting: `the build pod (${snap.build.ref} in ${snap.build.namespace}) to appear`,
        ...target
      }
    case 'running':
      return {
        running: true,
        waiting: `the build pod ${snap.build.pod?.metadata.name} to push its image`,
        ...target
      }
    case 'failed':
      return { failed: b.finding, reason: b.finding.message.replace(/^the build/, `build pod ${pod}`) }
    case 'pushed': {
      const ref = pickBuilt(b.pushed, containers, opts.container)!
      return { running: false, built: builtFrom(ref, 'build-pod', b.pod), ...target }
    }
  }
}

function builtFrom(
  ref: { digest: string; repository?: string },
  source: BuiltDigest['source'],
  from: string | undefined
): BuiltDigest {
  return {
    digest: ref.digest,
    ...(ref.repository ? { repository: ref.repository } : {}),
    source,
    ...(from !== undefined ? { from } : {})
  }
}

interface Images {
  container: { name?: string; why: string }
  running: RunningDigest[]
  /** The built digest of each container, with container=digest pairs. */
  pairs?: Record<string, { digest: string }>
}

function images(
  pods: Pod[],
  containers: Container[],
  built: BuiltDigest | undefined,
  opts: DecideOptions
): Images {
  const pairs = opts.digest?.kind === 'input' ? opts.digest.containers : undefined
  if (!pairs) {
    const container = pickContainer(containers, built, opts.container)
    return { container, running: compareDigests(pods, container.name, built) }
  }
  // With container=digest pairs each named container is compared with its own built digest.
  return {
    container: { name: Object.keys(pairs)[0], why: 'named by container=digest pairs' },
    running: Object.entries(pairs).flatMap(([name, ref]) =>
      compareDigests(pods, name, { digest: ref.digest, source: 'expected-digest' })
    ),
    pairs
  }
}

function podDiagnoses(snap: Snapshot, pods: Pod[]): { findings: Observed[]; final: boolean } {
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

/** Husks its controller replaces are no finding, until replacements keep ending the same way. */
export const HUSKS_FINAL = 3

function huskFinding(pods: Pod[]): Observed | undefined {
  const byReason = new Map<string, Husk[]>()
  for (const p of pods) {
    const h = replacedHusk(p)
    if (h) byReason.set(h.reason, [...(byReason.get(h.reason) ?? []), h])
  }
  const [reason, husks] = [...byReason].sort((a, b) => b[1].length - a[1].length)[0] ?? []
  if (!reason || !husks || husks.length < HUSKS_FINAL) return undefined
  const nodes = [...new Set(husks.map(h => h.node).filter((n): n is string => Boolean(n)))]
  const resource = husks[0]!.resource
  const what =
    reason === 'Evicted'
      ? `evicted${resource ? ` for ${resource} pressure` : ''}`
      : reason === 'Terminated' || /Shutdown/.test(reason)
        ? 'ended by node shutdowns'
        : `rejected by the kubelet (${reason})`
  const where = nodes.length ? ` on ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')}` : ''
  return {
    cause: 'replaced',
    facts: { reason, pods: husks.length, nodes, ...(resource ? { resource } : {}) },
    verdict: 'crash-loop',
    severity: 'error',
    subject: 'new pods',
    message: `${husks.length} ${what}${where}: the replacements keep ending the same way`,
    detail: [husks[0]!.message].filter(Boolean)
  }
}

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

/** The controller gave up (a failed Job, a Degraded Rollout): its pods say why, else the controller does. */
function failed(x: Facts): Diagnosis | undefined {
  const s = x.state
  if (s.phase !== 'failed') return undefined
  if (x.top)
    return { ...x.out, verdict: x.top.verdict, finality: 'final', reason: `${s.reason}; ${say(x.top)}` }
  const inspect = kindOf(x.snap.workload).commands?.inspect?.(target(x))
  const finding: Finding = {
    cause: 'controller',
    facts: inspect ? { inspect } : {},
    verdict: s.verdict,
    severity: 'error',
    subject: x.label,
    message: s.reason,
    workload: x.snap.workload
  }
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

export function decide(snap: Snapshot, opts: DecideOptions = {}): Diagnosis {
  const label = nameOf(snap.workload)
  const kind = kindOf(snap.workload)
  if (!snap.object) {
    const t = target({ snap, label })
    const reason = snap.unserved
      ? `${label} cannot exist in namespace ${t.namespace}: ${snap.unserved}`
      : (kind.absent?.(t) ?? `${label} does not exist in namespace ${t.namespace}`)
    return { ...empty(snap), verdict: 'not-found', finality: 'after-grace', reason }
  }
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
  const pods = podDiagnoses(snap, state.newPods)
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
