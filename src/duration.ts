// Durations as Go and kubectl write them: 90s, 5m, 1h30m, 1.5h, 500ms.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
export const MAX_DURATION_MS = 24 * 3_600_000

export class DurationError extends Error {}

export function parseDuration(text: string): number {
  const s = text.trim()
  if (s === '') throw new DurationError('is empty')
  if (/^-/.test(s)) throw new DurationError('is negative')
  if (/^\d+(\.\d+)?$/.test(s)) throw new DurationError(`has no unit; write ${s}s or ${s}m`)
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/y
  let total = 0
  let matched = 0
  while (re.lastIndex < s.length) {
    const start = re.lastIndex
    const m = re.exec(s)
    if (!m || m.index !== start) throw new DurationError(`is not a duration like 90s, 5m or 1h30m`)
    total += Number(m[1]) * UNITS[m[2]!]!
    matched++
  }
  if (matched === 0) throw new DurationError(`is not a duration like 90s, 5m or 1h30m`)
  if (total <= 0) throw new DurationError('must be longer than zero')
  if (total > MAX_DURATION_MS) throw new DurationError('is longer than 24h')
  return Math.round(total)
}

/** `2s`, `2m30s`, `1h`: a duration as the inputs take it (whole seconds; under a second, `ms`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))}ms`
  let s = Math.floor(ms / 1000)
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`
}
