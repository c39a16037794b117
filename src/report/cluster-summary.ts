// The job summary of a step that verified several clusters: the verdict, then a clusters × workloads table (an
// icon and a short reason per cell), then each cluster that did not roll out in full, as one cluster's summary.
import type { Report } from './report.js'
import { md, mdCode } from './safe.js'
import { VERDICT, rolledOut } from '../verdict/table.js'
import { nextStepOf } from './next-step.js'
import { count, mdStep, renderSummary, SUMMARY_LIMIT } from './summary.js'

interface Cell {
  verdict: Report['verdict']
  reason: string
}

export function renderClusterSummary(r: Report): string {
  const clusters = r.clusters ?? []
  const failing = clusters.filter(c => !rolledOut(c.verdict))
  const head = [
    `## ${VERDICT[r.verdict].icon} kube-verdict: \`${r.verdict}\` — ${count(clusters.length, 'cluster')}`,
    '',
    md(r.reason, 2000),
    '',
    `**Next step:** ${mdStep(nextStepOf(r))}`,
    '',
    [
      `waited ${r.elapsedSeconds}s`,
      r.apiRequests !== undefined ? count(r.apiRequests, 'API request') : count(r.reads, 'read')
    ].join(' · '),
    '',
    ...clusterTable(clusters),
    ''
  ].join('\n')
  // Each failing cluster gets an even share of what is left under GitHub's limit.
  const share = Math.floor((SUMMARY_LIMIT - Buffer.byteLength(head)) / Math.max(1, failing.length))
  const sections = failing.map(c => renderSummary(c, { limit: share - 200, context: c.context ?? '' }))
  return [head, ...sections].join('\n')
}

/** Rows are clusters, columns the workloads any of them verified; a cluster that read none shows its own verdict. */
function clusterTable(clusters: Report[]): string[] {
  const cells = clusters.map(cellsOf)
  const columns = [...new Set(cells.flatMap(c => [...c.keys()]))]
  const show = (c: Cell): string =>
    `${VERDICT[c.verdict].icon} \`${c.verdict}\`${rolledOut(c.verdict) ? '' : `: ${md(c.reason, 120)}`}`
  return [
    `| cluster | ${columns.map(w => mdCode(w)).join(' | ')} |`,
    `|---|${columns.map(() => '---|').join('')}`,
    ...clusters.map((c, i) => {
      const row = columns.map(w => show(cells[i]!.get(w) ?? { verdict: c.verdict, reason: c.reason }))
      return `| ${mdCode(c.context ?? '')} | ${row.join(' | ')} |`
    })
  ]
}

function cellsOf(r: Report): Map<string, Cell> {
  // A cluster that was never read names no workload of its own.
  if (VERDICT[r.verdict].read !== 'cluster' && !r.workloads) return new Map()
  const list = r.workloads ?? [{ workload: r.workload, verdict: r.verdict, reason: r.reason }]
  return new Map(list.map(w => [w.workload, { verdict: w.verdict, reason: w.reason }]))
}
