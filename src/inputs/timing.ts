// `timeout`, `grace` and `soak`: durations, each checked against the deadline that covers it.
import { formatDuration, parseDuration, DurationError } from '../duration.js'
import { InputError } from '../errors.js'
import { show } from './words.js'

export function parseDurationInput(input: string, raw: string, dflt: string): number {
  try {
    return parseDuration(raw.trim() === '' ? dflt : raw)
  } catch (e) {
    if (e instanceof DurationError) throw new InputError(input, `${show(raw)} ${e.message}`, dflt)
    throw e
  }
}

/** The default grace: a quarter of `timeout`, at most 15 s. */
export function defaultGraceMs(timeoutMs: number): number {
  return Math.min(15_000, Math.floor(timeoutMs / 4))
}

/**
 * `grace`: empty (action.yml's default) means a quarter of `timeout`, at most 15 s, so a short timeout works
 * without it; an explicit grace must be shorter than `timeout`. Examples are always values that would pass.
 */
export function parseGrace(raw: string, timeoutMs: number, timeoutText: string): number {
  const example = formatDuration(defaultGraceMs(timeoutMs))
  if (raw.trim() === '') return defaultGraceMs(timeoutMs)
  let graceMs: number
  try {
    graceMs = parseDuration(raw)
  } catch (e) {
    if (e instanceof DurationError) throw new InputError('grace', `${show(raw)} ${e.message}`, example)
    throw e
  }
  if (graceMs >= timeoutMs)
    throw new InputError(
      'grace',
      `is ${show(raw.trim())}, not shorter than 'timeout' (${timeoutText}); leave it empty for a quarter of the timeout (at most 15s)`,
      example
    )
  return graceMs
}

/**
 * `soak`: empty or `0s` (action.yml's default) is no soak; else it must be shorter than `timeout`, which covers the
 * rollout and the soak (a soak as long as the deadline could never finish).
 */
export function parseSoak(raw: string, timeoutMs: number, timeoutText: string): number {
  const v = raw.trim()
  if (v === '' || /^0+(\.0+)?(ms|s|m|h)?$/.test(v)) return 0
  let soakMs: number
  try {
    soakMs = parseDuration(v)
  } catch (e) {
    if (e instanceof DurationError) throw new InputError('soak', `${show(v)} ${e.message}`, '60s')
    throw e
  }
  if (soakMs >= timeoutMs)
    throw new InputError(
      'soak',
      `is ${show(v)}, not shorter than 'timeout' (${timeoutText}); it covers the rollout and the soak, so raise 'timeout' (to ${formatDuration(timeoutMs + soakMs)} or more) or shorten the soak`,
      formatDuration(Math.min(60_000, Math.floor(timeoutMs / 2)))
    )
  return soakMs
}
