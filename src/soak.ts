// The soak phase, after the wait said `success`: the same reader and watches keep going for `soak` (within what is
// left of the deadline), and each read goes through the pure soak decision (src/verdict/soak.ts). No extra
// polling: the watches wake it, and the poll only catches what they would miss, as in the wait.
import type { Snapshot } from './kube/snapshot.js'
import { describeChanges } from './timeline.js'
import { describeError, type HistoryEntry, type Milestone, type Outcome } from './wait.js'
import {
  heldWords,
  observeSoak,
  podsUnknown,
  seconds,
  startSoak,
  type SoakFailure,
  type SoakReport,
  type SoakState
} from './verdict/soak.js'
import type { Diagnosis } from './verdict/types.js'

export type { SoakReport } from './verdict/soak.js'

/** Watches wake the soak on every change; this poll only catches what they missed (events, a broken watch). */
const POLL_MS = 2_000
const ERROR_RETRY_MS = 1_000

export interface SoakOptions {
  soakMs: number
  /** The deadline of the wait the soak follows (its success's `elapsedMs` counts against it). */
  timeoutMs: number
  /** What the step verifies (`deployment/web`). */
  label: string
  /** `thorough`: every piece of evidence now (the read after a failure, for its log lines and events). */
  read: (opts: { thorough: boolean }) => Promise<Snapshot>
  decide: (s: Snapshot) => Diagnosis
  sleep: (ms: number) => Promise<void>
  now?: () => number
  onChange?: (entry: HistoryEntry, d: Diagnosis) => void
  onApiError?: (message: string) => void
}

interface Run {
  o: SoakOptions
  /** The success the soak started from. */
  ready: Outcome & { diagnosis: Diagnosis }
  start: number
  now: () => number
  timeline: Milestone[]
  history: HistoryEntry[]
  reads: number
  apiErrors: number
  last: Diagnosis
  state: SoakState
}

/** Seconds since the wait began, as the timeline writes them. */
const at = (r: Run): number => Math.round((r.ready.elapsedMs + r.now() - r.start) / 100) / 10

/** Watches the new pods for `soakMs` after a success (cut short by the deadline); the soak's verdict. */
export async function soakAfter(
  ready: Outcome,
  o: SoakOptions
): Promise<{ outcome: Outcome; soak: SoakReport }> {
  const now = o.now ?? Date.now
  const r: Run = {
    o,
    ready: ready as Run['ready'],
    start: now(),
    now,
    timeline: [...ready.timeline],
    history: [...ready.history],
    reads: 0,
    apiErrors: 0,
    last: ready.diagnosis!,
    state: startSoak(ready.diagnosis!)
  }
  const left = o.timeoutMs - ready.elapsedMs
  const end = r.start + Math.min(o.soakMs, left)
  const short = left < o.soakMs ? `; only ${seconds(left)} are left before the deadline` : ''
  const watching = `watching the new pods for ${seconds(o.soakMs)} after Ready${short}`
  note(r, `soak: ${watching}`)
  o.onChange?.({ at: at(r), verdict: 'success', reason: `${ready.reason}; soak: ${watching}` }, r.last)
  let recheck: number | undefined
  while (now() < end) {
    await o.sleep(Math.max(0, Math.min(POLL_MS, end - now(), recheck ?? Infinity)))
    let snap: Snapshot
    try {
      snap = await o.read({ thorough: false })
      r.reads++
    } catch (e) {
      r.apiErrors++
      o.onApiError?.(describeError(e))
      await o.sleep(Math.max(0, Math.min(ERROR_RETRY_MS, end - now())))
      continue
    }
    const d = o.decide(snap)
    if (podsUnknown(d)) continue
    for (const text of describeChanges(r.last, d)) r.timeline.push({ at: at(r), text })
    r.last = d
    const step = observeSoak(r.state, snap, d, now() - r.start)
    r.state = step.state
    if (step.failure) return failed(r, await withEvidence(r, step.failure, end))
    recheck = step.recheckMs
  }
  return left < o.soakMs ? cutShort(r, left) : held(r)
}

/** How long to wait at most for the evidence of a failure (a crashed container's log is read once it restarted). */
const EVIDENCE_MS = 10_000
/** A look at the evidence after each change, or after this long without one. */
const EVIDENCE_LOOK_MS = 2_000
/** Each look is a thorough read (events and logs): a few at most, however often the cluster changes meanwhile. */
const EVIDENCE_LOOKS = 5

/**
 * The failure's log lines or probe messages, when the read that saw it did not hold them yet: a thorough read after
 * each next change (the kubelet's restart) or a moment, until they are there: at most EVIDENCE_LOOKS reads in
 * EVIDENCE_MS, within the deadline (a busy kubelet may restart the container seconds later).
 */
async function withEvidence(r: Run, f: SoakFailure, end: number): Promise<SoakFailure> {
  const until = Math.min(end, r.now() + EVIDENCE_MS)
  for (let look = 0; look < EVIDENCE_LOOKS && !f.finding.detail?.length && r.now() < until; look++) {
    await r.o.sleep(Math.max(0, Math.min(EVIDENCE_LOOK_MS, until - r.now())))
    const found = await evidence(r, f)
    if (found === 'gone') return f
    if (found) return { ...f, finding: { ...f.finding, detail: found } }
  }
  return f
}

/** One thorough read: the failure's detail, undefined while it is not there yet, `gone` when the pods are not read. */
async function evidence(r: Run, f: SoakFailure): Promise<string[] | undefined | 'gone'> {
  try {
    const d = r.o.decide(await r.o.read({ thorough: true }))
    r.reads++
    if (podsUnknown(d)) return 'gone'
    r.last = d
    const own = d.findings.find(
      x =>
        x.subject === f.finding.subject &&
        x.cause === f.finding.cause &&
        (!f.finding.container || x.container === f.finding.container)
    )
    return own?.detail?.length ? own.detail : own?.cause === 'probe' ? [own.message] : undefined
  } catch (e) {
    r.apiErrors++
    r.o.onApiError?.(describeError(e))
    return undefined
  }
}

function note(r: Run, text: string): void {
  r.timeline.push({ at: at(r), text })
}

function report(r: Run, extra: Partial<SoakReport> = {}): SoakReport {
  return {
    seconds: r.o.soakMs / 1000,
    heldSeconds: Math.round((r.now() - r.start) / 100) / 10,
    podsAtReady: r.state.podsAtReady,
    podsAtEnd: r.last.pods.length,
    joined: r.state.joined,
    restarts: 0,
    ...extra
  }
}

function finish(r: Run, d: Diagnosis, verdict: Outcome['verdict']): Outcome {
  const entry = { at: at(r), verdict: d.verdict, reason: d.reason }
  r.history.push(entry)
  r.o.onChange?.(entry, d)
  return {
    ...r.ready,
    verdict,
    reason: d.reason,
    diagnosis: d,
    elapsedMs: r.ready.elapsedMs + r.now() - r.start,
    history: r.history,
    timeline: r.timeline,
    apiErrors: r.ready.apiErrors + r.apiErrors,
    reads: r.ready.reads + r.reads
  }
}

function failed(r: Run, f: SoakFailure): { outcome: Outcome; soak: SoakReport } {
  const reason = `${r.o.label} rolled out, then failed its ${seconds(r.o.soakMs)} soak ${seconds(f.atMs)} after Ready: ${f.what}`
  note(r, `soak failed ${seconds(f.atMs)} after Ready: ${f.what}`)
  const others = r.last.findings.filter(
    x => !(x.subject === f.finding.subject && x.cause === f.finding.cause)
  )
  const d: Diagnosis = {
    ...r.last,
    verdict: f.verdict,
    finality: 'final',
    reason,
    findings: [f.finding, ...others]
  }
  const restarts = f.event === 'restart' || f.event === 'oom-killed' || f.event === 'crash' ? 1 : 0
  return {
    outcome: finish(r, d, f.verdict),
    soak: report(r, {
      restarts,
      failure: {
        event: f.event,
        pod: f.pod,
        ...(f.container ? { container: f.container } : {}),
        afterReadySeconds: Math.round(f.atMs / 100) / 10
      }
    })
  }
}

function held(r: Run): { outcome: Outcome; soak: SoakReport } {
  // Held to its end: the words say the soak asked for, not the milliseconds of the last read.
  const words = heldWords(r.state, r.last, r.o.soakMs)
  note(r, `soak ${words}`)
  const d = {
    ...r.last,
    verdict: 'success',
    finality: 'final',
    reason: `${r.ready.reason}; ${words}`
  } as Diagnosis
  return { outcome: finish(r, d, 'success'), soak: report(r, { heldSeconds: r.o.soakMs / 1000 }) }
}

/** The deadline came first: nothing failed while watched, but the soak asked for was not done. */
function cutShort(r: Run, leftMs: number): { outcome: Outcome; soak: SoakReport } {
  const reason = `the deadline ended the ${seconds(r.o.soakMs)} soak after ${seconds(leftMs)}: ${r.o.label} rolled out with ${seconds(leftMs)} of the timeout left, and nothing failed while it was watched, but the soak did not finish; timeout covers the rollout and the soak, so raise it by at least ${seconds(r.o.soakMs - leftMs)}`
  note(r, `soak cut short by the deadline after ${seconds(leftMs)} of ${seconds(r.o.soakMs)}`)
  const d = { ...r.last, verdict: 'timeout', finality: 'final', reason } as Diagnosis
  return { outcome: finish(r, d, 'timeout'), soak: report(r, { cutShort: true }) }
}
