// Many workloads, one step: the worst verdict speaks for the step; every workload keeps its own report.
import { rolledOut, worst } from '../verdict/table.js'
import type { Report } from './report.js'

export { worst }

/** How the parts of a union are told apart: each part's name in its timeline (and its unreadable evidence). */
interface Parts {
  label: (r: Report) => string
  labelUnreadable: boolean
  findings: (r: Report) => Report['findings']
}

/**
 * What several reports add up to: the worst verdict, the first report that has it, and their evidence joined,
 * the failing ones' findings first (they are what the annotations and the summary lead with).
 */
export function unionOf(
  reports: Report[],
  parts: Parts
): { failing: Report[]; first: Report; union: Omit<Report, 'reason' | 'workload' | 'namespace'> } {
  const verdict = worst(reports.map(r => r.verdict))
  const failing = reports.filter(r => !rolledOut(r.verdict))
  const first = failing.find(r => r.verdict === verdict) ?? reports[0]!
  const sum = (f: (r: Report) => number): number => reports.reduce((n, r) => n + f(r), 0)
  const built = reports.find(r => r.built)?.built
  return {
    failing,
    first,
    union: {
      verdict,
      elapsedSeconds: Math.max(...reports.map(r => r.elapsedSeconds)),
      ...(built ? { built } : {}),
      running: reports.flatMap(r => r.running),
      replicas: {
        desired: sum(r => r.replicas?.desired ?? 0),
        updated: sum(r => r.replicas?.updated ?? 0),
        ready: sum(r => r.replicas?.ready ?? 0),
        available: sum(r => r.replicas?.available ?? 0)
      },
      findings: [...failing, ...reports.filter(r => rolledOut(r.verdict))].flatMap(parts.findings),
      pods: reports.flatMap(r => r.pods).slice(0, 100),
      warnings: reports.flatMap(r => r.warnings).slice(0, 50),
      unreadable: [
        ...new Set(
          reports.flatMap(r => r.unreadable.map(u => (parts.labelUnreadable ? `${parts.label(r)}: ${u}` : u)))
        )
      ],
      timeline: reports
        .flatMap(r => r.timeline.map(t => ({ at: t.at, text: `${parts.label(r)}: ${t.text}` })))
        .sort((a, b) => a.at - b.at)
        .slice(0, 200),
      history: [],
      apiErrors: sum(r => r.apiErrors),
      reads: sum(r => r.reads),
      ...(reports.every(r => r.nothingRan) ? { nothingRan: true as const } : {})
    }
  }
}

export function combineReports(reports: Report[], apiRequests?: number): Report {
  const { failing, first, union } = unionOf(reports, {
    label: r => r.workload,
    labelUnreadable: false,
    findings: r => r.findings
  })
  const reason =
    failing.length === 0
      ? `all ${reports.length} workloads rolled out: ${reports.map(r => r.workload).join(', ')}`
      : `${failing.length} of ${reports.length} workloads did not roll out; ${first.workload}: ${first.reason}`
  return {
    ...union,
    reason,
    workload: reports.map(r => r.workload).join(', '),
    namespace: reports[0]?.namespace ?? '',
    ...(apiRequests !== undefined ? { apiRequests } : {}),
    workloads: reports.map(r => ({
      workload: r.workload,
      verdict: r.verdict,
      reason: r.reason,
      ...(r.nothingRan ? { nothingRan: true as const } : {})
    }))
  }
}
