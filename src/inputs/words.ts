// The words every input parser shares: how a bad value is shown, Kubernetes names, booleans, selectors.
import { InputError } from '../errors.js'

export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

export function show(v: string): string {
  const oneLine = v.replace(/[\r\n]+/g, ' ')
  return JSON.stringify(oneLine.length > 60 ? oneLine.slice(0, 57) + '...' : oneLine)
}

export function parseNamespace(input: string, raw: string): string | undefined {
  const v = raw.trim()
  if (v === '') return undefined
  if (v.length > 63 || !DNS1123_LABEL.test(v)) {
    throw new InputError(
      input,
      `is ${show(v)}, which is not a namespace name (lowercase letters, digits and '-', at most 63)`,
      'shop'
    )
  }
  return v
}

export function parseBool(input: string, raw: string, dflt: boolean): boolean {
  const v = raw.trim().toLowerCase()
  if (v === '') return dflt
  if (['true', 'yes', '1'].includes(v)) return true
  if (['false', 'no', '0'].includes(v)) return false
  throw new InputError(input, `is ${show(raw)}; use true or false`, String(dflt))
}

export function validSelector(s: string): boolean {
  return s
    .split(',')
    .every(t => /^\s*!?[\w./-]+\s*((==|=|!=)\s*[\w./-]*|\s+(in|notin)\s+\([\w./,\s-]*\))?\s*$/.test(t))
}
