// The test worlds' clock, in the apiserver's time formats. Wall time, except while a recording plays a step: then
// it stands still at one instant, so recorded fixtures do not depend on when (or how fast) they were recorded.
let stoppedAt: number | undefined

/** Epoch ms: the wall clock, or the instant a recording holds it at. */
export function nowMs(): number {
  return stoppedAt ?? Date.now()
}

/** metav1.Time: RFC 3339 to the second. */
export function nowIso(): string {
  return new Date(nowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** metav1.MicroTime: RFC 3339 to the microsecond. */
export function nowMicroIso(): string {
  return new Date(nowMs()).toISOString().replace(/Z$/, '000Z')
}

/** Runs `fn` with the clock stopped at `ms`. Synchronous only, so that nothing else runs meanwhile. */
export function withClockAt<T>(ms: number, fn: () => T): T {
  const before = stoppedAt
  stoppedAt = ms
  try {
    return fn()
  } finally {
    stoppedAt = before
  }
}
