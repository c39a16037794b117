// The workloads' wait: read → decide until a final diagnosis or the deadline, on the one loop (src/poll.ts) that
// the deploy tools' stage shares. Woken early by watches; API trouble is retried and never becomes a verdict.
import type { Snapshot } from './kube/snapshot.js'
import { pollUntil, type Look } from './poll.js'
import { endsAs } from './verdict/table.js'
import type { Diagnosis, VerdictName } from './verdict/types.js'
import { describeChanges } from './timeline.js'

/** A moment of the timeline: something that changed, with seconds since the wait began. */
export interface Milestone {
  at: number
  text: string
}
const MAX_TIMELINE = 200

export interface HistoryEntry {
  /** Seconds since the wait began. */
  at: number
  verdict: Diagnosis['verdict']
  reason: string
}

export interface Outcome {
  verdict: VerdictName
  reason: string
  /** The last diagnosis, if the cluster was ever read. */
  diagnosis?: Diagnosis
  elapsedMs: number
  history: HistoryEntry[]
  timeline: Milestone[]
  apiErrors: number
  reads: number
}

export interface WaitOptions {
  timeoutMs: number
  graceMs: number
  /** `thorough` asks for every piece of evidence now: the last reads before the deadline. */
  read: (opts: { thorough: boolean }) => Promise<Snapshot>
  decide: (s: Snapshot) => Diagnosis
  onChange?: (entry: HistoryEntry, d: Diagnosis) => void
  onApiError?: (message: string) => void
  now?: () => number
  /** Resolves after ms, or early when woken. */
  sleep?: (ms: number) => Promise<void>
  /** Told what each decision cost (wall-clock ms of deciding and reporting it): the waker spaces a burst's by it. */
  spent?: (ms: number) => void
}

export { describeError, isUnreached, neverReachedLimitMs } from './poll.js'

/**
 * A burst is decided once per window of this many times the last decision's cost: deciding takes at most about a
 * quarter of the CPU during a burst, however large the rollout (well under 1 ms apart for 3 pods, tens of
 * milliseconds for 1,000).
 */
const BURST_COST_FACTOR = 4
const BURST_MAX_MS = 250

/**
 * Wakes the loop on watch events. The first change after a quiet spell is decided at once (on the next turn of the
 * event loop, so that the events of one network read are decided together). Changes that arrive while a decision
 * runs, or within the burst window after it, are coalesced: one decision when the window ends. The window follows
 * what a decision costs (`spent`).
 */
export class Waker {
  private resolve?: () => void
  private timer?: NodeJS.Timeout
  private pending?: { cancel: () => void }
  /** A change arrived while the loop was reading or deciding: its next sleep ends as a wake-up would. */
  private missed = false
  private lastFire = -Infinity
  private windowMs = 0

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** What the last decision cost, in milliseconds: the burst window is a few times that. */
  spent = (ms: number): void => {
    this.windowMs = Math.min(BURST_MAX_MS, BURST_COST_FACTOR * ms)
  }

  sleep = (ms: number): Promise<void> =>
    new Promise(resolve => {
      this.resolve = resolve
      this.timer = setTimeout(() => this.fire(), Math.max(0, ms))
      if (this.missed) {
        this.missed = false
        this.wake()
      }
    })

  /** A watch event: decide again, at once after a quiet spell, at the end of the burst window otherwise. */
  wake = (): void => {
    if (this.pending) return
    if (!this.resolve) {
      this.missed = true
      return
    }
    const wait = this.lastFire + this.windowMs - this.now()
    const run = (): void => {
      this.pending = undefined
      this.fire()
    }
    if (wait <= 0) {
      const i = setImmediate(run)
      this.pending = { cancel: () => clearImmediate(i) }
    } else {
      const t = setTimeout(run, wait)
      this.pending = { cancel: () => clearTimeout(t) }
    }
  }

  private fire(): void {
    clearTimeout(this.timer)
    this.pending?.cancel()
    this.pending = undefined
    const r = this.resolve
    this.resolve = undefined
    if (r) this.lastFire = this.now()
    r?.()
  }
}

export async function waitForVerdict(o: WaitOptions): Promise<Outcome> {
  const now = o.now ?? Date.now
  const start = now()
  const history: HistoryEntry[] = []
  const timeline: Milestone[] = []
  let last: Diagnosis | undefined
  let held: { key: string; since: number } | undefined
  const at = (): number => Math.round((now() - start) / 100) / 10
  const look = (snap: Snapshot): Look => {
    const decidedFrom = performance.now()
    const d = o.decide(snap)
    for (const text of describeChanges(last, d))
      if (timeline.length < MAX_TIMELINE) timeline.push({ at: at(), text })
    const key = `${d.verdict}\u0000${d.reason}`
    const changedVerdict = !last || last.verdict !== d.verdict
    if (!held || held.key !== key) {
      held = { key, since: now() }
      const entry = { at: at(), verdict: d.verdict, reason: d.reason }
      history.push(entry)
      o.onChange?.(entry, d)
    }
    last = d
    o.spent?.(performance.now() - decidedFrom)
    if (d.finality === 'final') return { done: true }
    if (d.finality !== 'after-grace') return { done: false, reset: changedVerdict }
    const left = held.since + o.graceMs - now()
    return left <= 0 ? { done: true } : { done: false, withinMs: left, reset: changedVerdict }
  }
  const polled = await pollUntil({
    timeoutMs: o.timeoutMs,
    read: o.read,
    look,
    ...(o.onApiError ? { onApiError: o.onApiError } : {}),
    now,
    ...(o.sleep ? { sleep: o.sleep } : {})
  })
  const finish = (verdict: VerdictName, reason: string): Outcome => ({
    verdict,
    reason,
    ...(last ? { diagnosis: last } : {}),
    elapsedMs: polled.elapsedMs,
    history,
    timeline,
    apiErrors: polled.apiErrors,
    reads: polled.reads
  })
  if (polled.end === 'unreachable') return finish('unreachable', polled.reason)
  // A read decided `progressing` is never done; done is a final or held verdict.
  if (polled.end === 'done') return finish(endsAs(last!.verdict), last!.reason)
  return atDeadline(last!, history, o.timeoutMs, finish)
}

/** The verdict at the deadline: what the rollout still waited for, or the last diagnosis, with its history. */
function atDeadline(
  last: Diagnosis,
  history: HistoryEntry[],
  timeoutMs: number,
  finish: (verdict: VerdictName, reason: string) => Outcome
): Outcome {
  const secs = Math.round(timeoutMs / 1000)
  const verdict = endsAs(last.verdict)
  if (verdict === 'timeout') {
    const earlier = [...history].reverse().find(h => endsAs(h.verdict) !== 'timeout')
    return finish(
      'timeout',
      `deadline of ${secs}s passed while still waiting for ${last.waitingFor ?? 'the rollout'}${earlier ? `; earlier at ${earlier.at}s: ${earlier.reason}` : ''}`
    )
  }
  return finish(verdict, `${last.reason} (still so at the ${secs}s deadline)`)
}
