// Several clusters, one step: the worst verdict speaks for the step, the reason names every cluster that did not
// roll out, and each cluster keeps its own report (`clusters`), its findings tagged with its context.
import { unionOf } from './combine.js'
import type { Report } from './report.js'

/** `reports`: one per cluster, each with its `context`, in the order the input named them. */
export function combineClusters(reports: Report[]): Report {
  const { failing, first, union } = unionOf(reports, {
    label: r => r.context ?? '',
    labelUnreadable: true,
    findings: r => r.findings.map(f => ({ ...f, cluster: r.context ?? '' }))
  })
  const reason =
    failing.length === 0
      ? `all ${reports.length} clusters rolled out: ${reports.map(r => r.context).join(', ')}`
      : `${failing.length} of ${reports.length} clusters did not roll out (${failing.map(r => `${r.context} ${r.verdict}`).join(', ')}); ${first.context}: ${first.reason}`
  const digestSource = reports.find(r => r.digestSource)?.digestSource
  return {
    ...union,
    reason,
    workload: first.workload,
    namespace: first.namespace,
    ...(reports.every(r => r.apiRequests !== undefined)
      ? { apiRequests: reports.reduce((n, r) => n + r.apiRequests!, 0) }
      : {}),
    ...(digestSource ? { digestSource } : {}),
    clusters: reports
  }
}
