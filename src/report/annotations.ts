// Annotations: the verdict first, then the findings ranked, within GitHub's caps (10 errors, 10 warnings and
// 10 notices per step; more are dropped silently), closing with "N more in the job summary".
import type { Report } from './report.js'
import type { Finding } from '../verdict/types.js'
import { nextStep } from './next-step.js'
import { oneLine } from './safe.js'

export type Level = 'error' | 'warning' | 'notice'

export interface Annotation {
  level: Level
  title: string
  message: string
  file?: string
  startLine?: number
}

export const CAP_PER_LEVEL = 10

interface Group {
  level: Level
  title: string
  message: string
  first: Finding
  count: number
}

/** Findings that say the same of many pods become one annotation naming how many. */
function grouped(r: Report): Group[] {
  const groups = new Map<string, Group>()
  for (const f of r.findings) {
    const key = `${f.verdict}\u0000${f.container ?? ''}\u0000${f.message}`
    const g = groups.get(key)
    if (g) g.count++
    else {
      const title = `${f.verdict}: ${f.subject}${f.container ? ` (${f.container})` : ''}`
      groups.set(key, { level: f.severity, title, message: f.message, first: f, count: 1 })
    }
  }
  return [...groups.values()]
}

export function annotationsOf(
  r: Report,
  failOnVerdict: boolean,
  located: (finding: Finding) => { file: string; startLine: number } | undefined = () => undefined
): Annotation[] {
  const verdictLevel: Level =
    r.verdict === 'success' ? 'notice' : r.verdict === 'invalid-input' || failOnVerdict ? 'error' : 'warning'
  const out: Annotation[] = [
    {
      level: verdictLevel,
      title: `kube-verdict: ${r.verdict}`,
      message: `${r.reason} Next step: ${nextStep(r)}`
    }
  ]
  const used: Record<Level, number> = { error: 0, warning: 0, notice: 0 }
  used[verdictLevel]++
  let left = 0
  for (const g of grouped(r)) {
    const level: Level = verdictLevel === 'notice' && g.level === 'error' ? 'warning' : g.level
    // Keep one notice free for the closing "more in the summary".
    const cap = level === 'notice' ? CAP_PER_LEVEL - 1 : CAP_PER_LEVEL
    if (used[level] >= cap) {
      left++
      continue
    }
    used[level]++
    const loc = located(g.first)
    out.push({
      level,
      title: g.count > 1 ? `${g.title} and ${g.count - 1} more pods` : g.title,
      message: g.message,
      ...(loc ?? {})
    })
  }
  if (left > 0 && used.notice < CAP_PER_LEVEL)
    out.push({
      level: 'notice',
      title: 'kube-verdict',
      message: `${left} more finding${left > 1 ? 's' : ''} in the job summary`
    })
  return out.map(a => ({ ...a, title: oneLine(a.title, 200), message: oneLine(a.message, 2000) }))
}
