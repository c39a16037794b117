// The CLI's verdict over several clusters: the step's verdict and reason, one line per cluster, then each cluster
// that did not roll out as one cluster's verdict.
import { rolledOut } from '../verdict/table.js'
import { count } from './summary.js'
import type { Report } from './report.js'
import { oneLine } from './safe.js'
import { paint, renderVerdict, verdictColor, type Out } from './terminal.js'

export function renderClusters(out: Out, r: Report, mode: 'wait' | 'explain' = 'wait'): string {
  const clusters = r.clusters ?? []
  const width = Math.max(...clusters.map(c => (c.context ?? '').length))
  const vwidth = Math.max(...clusters.map(c => c.verdict.length))
  const lines = [
    `${paint(out, verdictColor(r.verdict), paint(out, 'bold', r.verdict))}  ${oneLine(r.workload)}${r.namespace ? ` -n ${oneLine(r.namespace)}` : ''} on ${count(clusters.length, 'cluster')}  ${paint(out, 'dim', `(${r.elapsedSeconds}s${r.apiRequests !== undefined ? `, ${count(r.apiRequests, 'API request')}` : ''})`)}`,
    `  ${oneLine(r.reason, 2000)}`,
    '',
    ...clusters.map(
      c =>
        `  ${oneLine(c.context ?? '').padEnd(width)}  ${paint(out, verdictColor(c.verdict), c.verdict.padEnd(vwidth))}  ${oneLine(c.reason, 300)}`
    ),
    ''
  ]
  for (const c of clusters.filter(c => !rolledOut(c.verdict)))
    lines.push(paint(out, 'bold', `── ${oneLine(c.context ?? '')} ──`), renderVerdict(out, c, mode))
  return lines.join('\n') + '\n'
}
