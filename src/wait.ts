// The loop: read → decide until a final diagnosis or the deadline. Polls with backoff and jitter, woken early
// by watches; API trouble is retried and never becomes a verdict.
import { ApiError, TransportError } from './kube/api.js'
import { AccessError } from './kube/reader.js'
import type { Snapshot } from './kube/snapshot.js'
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
  /** Subscribes to wake-ups (watch events); returns whether a watch is live now. */
  watchLive?: () => boolean
  onChange?: (entry: HistoryEntry, d: Diagnosis) => void
  onApiError?: (message: string) => void
  now?: () => number
  /** Resolves after ms, or early when woken. */
  sleep?: (ms: number) => Promise<void>
  /** Told what each decision cost (wall-clock ms of deciding and reporting it): the waker spaces a burst's by it. */
  spent?: (ms: number) => void
}

const FIRST_POLL_MS = 400
// Watches wake the loop on every change of the cached objects, and a read with live watches costs no request;
// the poll only catches what is read on demand (events) and what a broken watch missed.
const CAP_WATCHED_MS = 2_000
const CAP_UNWATCHED_MS = 2_000
// A failed read costs a few requests at most (synced caches are kept); 429s bring their own Retry-After.
const ERROR_CAP_MS = 1_000
/** A read is several requests; if they all hang, give up on the read long before the deadline. */
const READ_LIMIT_MS = 20_000
/** Close to the deadline every read gathers all evidence, so the verdict names the most specific cause. */
const THOROUGH_BEFORE_MS = 2_500
/**
 * A cluster never reached once (refused, DNS, TLS, credentials that cannot be had) is given up on after a quarter
 * of the timeout, at most a minute: waiting longer cannot make a wrong address right. Once any read succeeded,
 * or the API answered at all (even 5xx), trouble is retried until the deadline. A request that gets no answer in
 * time does not count as never reached (a hung server may be slow rather than absent): retried to the deadline.
 */
export function neverReachedLimitMs(timeoutMs: number): number {
  return Math.min(60_000, Math.floor(timeoutMs / 4))
}

/** Our own limit on one read: says nothing about the cluster, so it never replaces the cause. */
class ReadTimeout extends Error {}

const UNREACHED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN'
])

/** Whether an error says the cluster did not answer at all (as opposed to an answer, even a failing one). */
export function isUnreached(e: unknown): boolean {
  if (e instanceof ApiError || e instanceof ReadTimeout) return false
  if (e instanceof TransportError && e.code === 'ETIMEDOUT') return false
  if (e instanceof TransportError) {
    const code = e.code ?? ''
    return (
      UNREACHED_CODES.has(code) ||
      /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/.test(code)
    )
  }
  // Anything else failed before a request was sent: an exec credential plugin, a client certificate.
  return true
}

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

function jitter(ms: number): number {
  return ms * (0.8 + Math.random() * 0.4)
}

export async function waitForVerdict(o: WaitOptions): Promise<Outcome> {
  const now = o.now ?? Date.now
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>(r => setTimeout(r, ms)))
  const start = now()
  const deadline = start + o.timeoutMs
  const history: HistoryEntry[] = []
  const timeline: Milestone[] = []
  let last: Diagnosis | undefined
  let held: { key: string; since: number } | undefined
  let interval = FIRST_POLL_MS
  let errorInterval = 250
  let apiErrors = 0
  let reads = 0
  let lastError = ''
  /** The last error that says something about the cluster (not our own read limit). */
  let cause = ''
  let reached = false
  const unreachedLimit = neverReachedLimitMs(o.timeoutMs)
  const elapsed = (): number => now() - start
  const finish = (verdict: VerdictName, reason: string): Outcome => ({
    verdict,
    reason,
    ...(last ? { diagnosis: last } : {}),
    elapsedMs: elapsed(),
    history,
    timeline,
    apiErrors,
    reads
  })

  while (true) {
    let snap: Snapshot | undefined
    try {
      const thorough = deadline - now() <= THOROUGH_BEFORE_MS
      snap = await raceDeadline(o.read({ thorough }), Math.min(READ_LIMIT_MS, deadline - now()))
      reads++
      reached = true
      errorInterval = 250
    } catch (e) {
      if (e instanceof AccessError) return finish('unreachable', e.message)
      apiErrors++
      lastError = describeError(e)
      if (!(e instanceof ReadTimeout)) cause = lastError
      // Only refusals, DNS, TLS and credential failures keep it "never reached"; anything else (an answer, a
      // reset, a request or read with no answer in time) means the server may be there: wait to the deadline.
      if (!isUnreached(e)) reached = true
      o.onApiError?.(lastError)
      if (!reached && elapsed() >= unreachedLimit && now() < deadline)
        return finish(
          'unreachable',
          `the cluster could not be read: it was never reached in ${Math.round(elapsed() / 1000)}s (kube-verdict gives up on a cluster it never reached after a quarter of timeout, at most 60s): ${cause || lastError}`
        )
      if (now() >= deadline) break
      const retryAfter = e instanceof ApiError && e.retryAfterS ? e.retryAfterS * 1000 : 0
      await sleep(Math.min(deadline - now(), Math.max(retryAfter, jitter(errorInterval))))
      errorInterval = Math.min(ERROR_CAP_MS, errorInterval * 2)
      if (now() >= deadline) break
      continue
    }
    const decidedFrom = performance.now()
    const d = o.decide(snap)
    for (const text of describeChanges(last, d)) {
      if (timeline.length < MAX_TIMELINE) timeline.push({ at: Math.round(elapsed() / 100) / 10, text })
    }
    const key = `${d.verdict}\u0000${d.reason}`
    if (!held || held.key !== key) {
      const changedVerdict = !last || last.verdict !== d.verdict
      held = { key, since: now() }
      const entry = { at: Math.round(elapsed() / 100) / 10, verdict: d.verdict, reason: d.reason }
      history.push(entry)
      o.onChange?.(entry, d)
      if (changedVerdict) interval = FIRST_POLL_MS
    }
    last = d
    o.spent?.(performance.now() - decidedFrom)
    if (d.finality === 'final') return finish(d.verdict, d.reason)
    if (d.finality === 'after-grace' && now() - held.since >= o.graceMs)
      return finish(d.verdict as VerdictName, d.reason)
    if (now() >= deadline) break
    let pause = jitter(interval)
    if (d.finality === 'after-grace') pause = Math.min(pause, held.since + o.graceMs - now())
    await sleep(Math.max(0, Math.min(pause, deadline - now())))
    interval = Math.min(o.watchLive?.() ? CAP_WATCHED_MS : CAP_UNWATCHED_MS, interval * 1.6)
  }

  if (!last)
    return finish(
      'unreachable',
      `the cluster could not be read for the whole wait of ${Math.round(o.timeoutMs / 1000)}s: ${cause || lastError}`
    )
  const secs = Math.round(o.timeoutMs / 1000)
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

function raceDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(
      () => reject(new ReadTimeout(`a read did not finish within ${Math.round(ms / 1000)}s`)),
      Math.max(0, ms)
    )
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(t))
}

export function describeError(e: unknown): string {
  if (e instanceof ApiError) return `API ${e.status} ${e.reason}: ${e.message}`.slice(0, 300)
  return ((e as Error)?.message ?? String(e)).trim().slice(0, 300)
}
