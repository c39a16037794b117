// Annotations: the verdict first, then the findings ranked, one per workload and cause, within GitHub's caps
// (10 errors, 10 warnings and 10 notices per step; more are dropped silently), closing with "N more in the job
// summary" (that notice counts within the 10).
import type { Report } from './report.js'
import type { Finding } from '../verdict/types.js'
import { groupFindings, podsOf } from './findings.js'
import { nextStep } from './next-step.js'
import { oneLine } from './safe.js'
import { annotationLevel, type AnnotationLevel } from '../verdict/table.js'

export type Level = AnnotationLevel

export interface Annotation {
  level: Level
  title: string
  message: string
  file?: string
  startLine?: number
}

export const CAP_PER_LEVEL = 10

export type Used = Partial<Record<Level, number>>

function pods(n: number): string {
  return `${n} more pod${n === 1 ? '' : 's'}`
}

/**
 * The verdict, then one annotation per workload and cause (ranked: see groupFindings), at most CAP_PER_LEVEL of
 * each level in all, counting `used`: what the step has written or may still write besides these (a Deployment
 * status warning). When some do not fit, the last notice says how many more the job summary holds.
 */
export function annotationsOf(
  r: Report,
  failOnVerdict: boolean,
  located: (finding: Finding) => { file: string; startLine: number } | undefined = () => undefined,
  used: Used = {}
): Annotation[] {
  const verdictLevel = annotationLevel(r.verdict, failOnVerdict)
  const count: Record<Level, number> = {
    error: used.error ?? 0,
    warning: used.warning ?? 0,
    notice: used.notice ?? 0
  }
  const out: Annotation[] = []
  const add = (a: Annotation): void => {
    out.push(a)
    count[a.level]++
  }
  if (count[verdictLevel] < CAP_PER_LEVEL)
    add({
      level: verdictLevel,
      title: `kube-verdict: ${r.verdict}`,
      message: `${r.reason} Next step: ${nextStep(r)}`
    })
  const several = (r.workloads?.length ?? 0) > 1 || r.clusters !== undefined
  let left = 0
  for (const g of groupFindings(r.findings)) {
    const f = g.first
    // A finding of a successful step cannot be an error: the step did not fail.
    const level: Level = verdictLevel === 'notice' && f.severity === 'error' ? 'warning' : f.severity
    // One notice stays free for the closing "more in the job summary" while findings remain.
    const cap = level === 'notice' ? CAP_PER_LEVEL - 1 : CAP_PER_LEVEL
    if (count[level] >= cap) {
      left++
      continue
    }
    const subject = `${several ? `${g.workload} ` : ''}${f.subject}${f.container ? ` (${f.container})` : ''}`
    const others = g.pods - podsOf(f).length
    add({
      level,
      title: `${f.verdict}: ${subject}${others > 0 ? ` and ${pods(others)}` : ''}`,
      message: f.message,
      ...(located(f) ?? {})
    })
  }
  if (left > 0 && count.notice < CAP_PER_LEVEL)
    add({
      level: 'notice',
      title: 'kube-verdict',
      message: `${left} more finding${left > 1 ? 's' : ''} in the job summary`
    })
  return out.map(a => ({ ...a, title: oneLine(a.title, 200), message: oneLine(a.message, 2000) }))
}
