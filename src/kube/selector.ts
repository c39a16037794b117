// A LabelSelector object as the string form the API's labelSelector parameter takes.
import type { LabelSelector } from './types.js'

export function selectorString(sel: LabelSelector | undefined): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`)
  for (const e of sel?.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',')
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`)
    else if (e.operator === 'Exists') parts.push(e.key)
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  return parts.join(',')
}
