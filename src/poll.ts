// The one wait loop, for workloads (src/wait.ts) and deploy tools (src/gitops/wait.ts): read → look, until the
// look says done, the credentials are refused, a cluster never reached is given up on, or the deadline. One set of
// limits: a deadline on each read, the never-reached limit, the backoff, and API trouble retried (never a verdict).
import { ApiError, TransportError } from './kube/api.js'
import { AccessError } from './kube/access.js'

const FIRST_POLL_MS = 400
const GROWTH = 1.6
// Watches wake the loop early where a caller has them (its `sleep`); the poll only catches what they missed.
const CAP_MS = 2_000
// A failed read costs a few requests at most (synced caches are kept); 429s bring their own Retry-After.
const ERROR_FIRST_MS = 250
const ERROR_CAP_MS = 1_000
/** A read is several requests; if they all hang, give up on the read long before the deadline. */
export const READ_LIMIT_MS = 20_000
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

export function describeError(e: unknown): string {
  if (e instanceof ApiError) return `API ${e.status} ${e.reason}: ${e.message}`.slice(0, 300)
  return ((e as Error)?.message ?? String(e)).trim().slice(0, 300)
}

/** What a look at one read decides: done, or look again (at the latest after `withinMs`; `reset`: poll fast). */
export type Look = { done: true } | { done: false; withinMs?: number; reset?: boolean }

export interface PollOptions<T> {
  timeoutMs: number
  /** `thorough` asks for every piece of evidence now: the last reads before the deadline. */
  read: (opts: { thorough: boolean }) => Promise<T>
  look: (value: T) => Look
  onApiError?: (message: string) => void
  now?: () => number
  /** Resolves after ms (or early, when a watch wakes it). */
  sleep?: (ms: number) => Promise<void>
}

export type PollEnd =
  | { end: 'done' | 'deadline' }
  /** Refused credentials, a cluster never reached, or not one read in the whole wait. */
  | { end: 'unreachable'; reason: string }

export type PollResult = PollEnd & { elapsedMs: number; apiErrors: number; reads: number }

function jitter(ms: number): number {
  return ms * (0.8 + Math.random() * 0.4)
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

/** API trouble so far: counted, backed off, and "never reached" until the cluster answers at all. */
interface Trouble {
  apiErrors: number
  lastError: string
  /** The last error that says something about the cluster (not our own read limit). */
  cause: string
  reached: boolean
  errorInterval: number
}

/** Counts a failed read; returns why to give up when the cluster was never reached within the limit. */
function neverReached(e: unknown, t: Trouble, elapsed: number, limitMs: number): string | undefined {
  t.apiErrors++
  t.lastError = describeError(e)
  if (!(e instanceof ReadTimeout)) t.cause = t.lastError
  // Only refusals, DNS, TLS and credential failures keep it "never reached"; anything else (an answer, a reset, a
  // request or read with no answer in time) means the server may be there: wait to the deadline.
  if (!isUnreached(e)) t.reached = true
  if (t.reached || elapsed < limitMs) return undefined
  return `the cluster could not be read: it was never reached in ${Math.round(elapsed / 1000)}s (kube-verdict gives up on a cluster it never reached after a quarter of timeout, at most 60s): ${t.cause || t.lastError}`
}

export async function pollUntil<T>(o: PollOptions<T>): Promise<PollResult> {
  const now = o.now ?? Date.now
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>(r => setTimeout(r, ms)))
  const start = now()
  const deadline = start + o.timeoutMs
  const t: Trouble = { apiErrors: 0, lastError: '', cause: '', reached: false, errorInterval: ERROR_FIRST_MS }
  const limitMs = neverReachedLimitMs(o.timeoutMs)
  let reads = 0
  let interval = FIRST_POLL_MS
  const result = (e: PollEnd): PollResult => ({
    ...e,
    elapsedMs: now() - start,
    apiErrors: t.apiErrors,
    reads
  })

  while (true) {
    let value: T
    try {
      const thorough = deadline - now() <= THOROUGH_BEFORE_MS
      value = await raceDeadline(o.read({ thorough }), Math.min(READ_LIMIT_MS, deadline - now()))
      reads++
      t.reached = true
      t.errorInterval = ERROR_FIRST_MS
    } catch (e) {
      if (e instanceof AccessError) return result({ end: 'unreachable', reason: e.message })
      const never = neverReached(e, t, now() - start, limitMs)
      o.onApiError?.(t.lastError)
      if (never && now() < deadline) return result({ end: 'unreachable', reason: never })
      if (now() >= deadline) break
      const retryAfter = e instanceof ApiError && e.retryAfterS ? e.retryAfterS * 1000 : 0
      await sleep(Math.min(deadline - now(), Math.max(retryAfter, jitter(t.errorInterval))))
      t.errorInterval = Math.min(ERROR_CAP_MS, t.errorInterval * 2)
      if (now() >= deadline) break
      continue
    }
    const seen = o.look(value)
    if (seen.done) return result({ end: 'done' })
    if (seen.reset) interval = FIRST_POLL_MS
    if (now() >= deadline) break
    const pause = Math.min(jitter(interval), seen.withinMs ?? Infinity)
    await sleep(Math.max(0, Math.min(pause, deadline - now())))
    interval = Math.min(CAP_MS, interval * GROWTH)
  }
  if (reads > 0) return result({ end: 'deadline' })
  return result({
    end: 'unreachable',
    reason: `the cluster could not be read for the whole wait of ${Math.round(o.timeoutMs / 1000)}s: ${t.cause || t.lastError}`
  })
}
