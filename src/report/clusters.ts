// Several clusters, one step: the worst verdict speaks for the step, the reason names every cluster that did not
// roll out, and each cluster keeps its own report (`clusters`), its findings tagged with its context.
import { rolledOut, worst } from '../verdict/table.js'
import type { Report } from './report.js'

/** `reports`: one per cluster, each with its `context`, in the order the input named them. */
export function combineClusters(reports: Report[]): Report {
  const verdict = worst(reports.map(r => r.verdict))
  const failing = reports.filter(r => !rolledOut(r.verdict))
  const first = failing.find(r => r.verdict === verdict) ?? reports[0]!
  const reason =
    failing.length === 0
      ? `all ${reports.length} clusters rolled out: ${reports.map(r => r.context).join(', ')}`
      : `${failing.length} of ${reports.length} clusters did not roll out (${failing.map(r => `${r.context} ${r.verdict}`).join(', ')}); ${first.context}: ${first.reason}`
  const sum = (f: (r: Report) => number): number => reports.reduce((n, r) => n + f(r), 0)
  const built = reports.find(r => r.built)?.built
  const digestSource = reports.find(r => r.digestSource)?.digestSource
  const tagged = (r: Report): Report['findings'] => r.findings.map(f => ({ ...f, cluster: r.context! }))
  return {
    verdict,
    reason,
    workload: first.workload,
    namespace: first.namespace,
    elapsedSeconds: Math.max(...reports.map(r => r.elapsedSeconds)),
    ...(built ? { built } : {}),
    running: reports.flatMap(r => r.running),
    replicas: {
      desired: sum(r => r.replicas?.desired ?? 0),
      updated: sum(r => r.replicas?.updated ?? 0),
      ready: sum(r => r.replicas?.ready ?? 0),
      available: sum(r => r.replicas?.available ?? 0)
    },
    // Failing clusters' findings first: they are what the annotations lead with.
    findings: [...failing, ...reports.filter(r => rolledOut(r.verdict))].flatMap(tagged),
    pods: reports.flatMap(r => r.pods).slice(0, 100),
    warnings: reports.flatMap(r => r.warnings).slice(0, 50),
    unreadable: [...new Set(reports.flatMap(r => r.unreadable.map(u => `${r.context}: ${u}`)))],
    timeline: reports
      .flatMap(r => r.timeline.map(t => ({ at: t.at, text: `${r.context}: ${t.text}` })))
      .sort((a, b) => a.at - b.at)
      .slice(0, 200),
    history: [],
    apiErrors: sum(r => r.apiErrors),
    reads: sum(r => r.reads),
    ...(reports.every(r => r.apiRequests !== undefined) ? { apiRequests: sum(r => r.apiRequests!) } : {}),
    ...(digestSource ? { digestSource } : {}),
    ...(reports.every(r => r.nothingRan) ? { nothingRan: true as const } : {}),
    clusters: reports
  }
}
