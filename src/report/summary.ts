// The job summary: headline, next step, digests, findings, timeline; all cluster text escaped, size bounded.
import { shortDigest } from '../digest/digest.js'
import { nextStep } from './next-step.js'
import type { Report } from './report.js'
import { md, mdCode, preBlock } from './safe.js'

const ICON: Record<string, string> = {
  success: '✅',
  timeout: '⏱️',
  'invalid-input': '⚠️',
  unreachable: '🔌'
}
/** GitHub shows step summaries up to 1 MiB; stay well under it. */
export const SUMMARY_LIMIT = 900 * 1024

export function renderSummary(r: Report): string {
  const out: string[] = []
  out.push(
    `## ${ICON[r.verdict] ?? '❌'} kube-verdict: \`${r.verdict}\` for ${mdCode(`${r.workload} -n ${r.namespace}`)}`
  )
  out.push('', md(r.reason), '', `**Next step:** ${nextStep(r)}`, '')
  if (r.replicas)
    out.push(
      `Ready new replicas: **${r.replicas.ready}/${r.replicas.desired}** · waited ${r.elapsedSeconds}s · ${r.reads} reads${r.apiErrors ? ` · ${r.apiErrors} API errors retried` : ''}`,
      ''
    )
  out.push('### Image', '')
  if (r.built) {
    out.push(
      `Built: ${mdCode(r.built.digest, 80)} from ${r.built.source}${r.built.from ? ` (${mdCode(r.built.from)})` : ''}`,
      ''
    )
  } else {
    out.push(
      'Built digest: not known (no expected-digest, digest-file or build-pod), so the image was not verified.',
      ''
    )
  }
  if (r.running.length > 0) {
    out.push('| pod | container | running digest | match |', '|---|---|---|---|')
    for (const p of r.running.slice(0, 50)) {
      out.push(
        `| ${mdCode(p.pod)} | ${mdCode(p.container)} | ${mdCode(p.digest ? shortDigest(p.digest) + '…' : p.imageID || '(pulling)')} | ${p.match} |`
      )
    }
    if (r.running.length > 50) out.push(`| … | | ${r.running.length - 50} more pods | |`)
    out.push('')
  }
  if (r.findings.length > 0) {
    out.push('### Findings', '')
    for (const f of r.findings.slice(0, 30)) {
      out.push(
        `- **${f.verdict}** ${mdCode(f.subject)}${f.container ? ` (${mdCode(f.container)})` : ''}: ${md(f.message)}`
      )
      if (f.detail && f.detail.length > 0) {
        out.push(`  <details><summary>details</summary>\n\n  ${preBlock(f.detail)}\n\n  </details>`)
      }
    }
    if (r.findings.length > 30) out.push(`- … ${r.findings.length - 30} more findings left out`)
    out.push('')
  }
  if (r.unreadable.length > 0) {
    out.push('### Evidence that could not be read', '', ...r.unreadable.map(u => `- ${md(u)}`), '')
  }
  if (r.history.length > 0) {
    out.push('### Timeline', '', '| after | state | |', '|---|---|---|')
    for (const h of r.history.slice(-40)) out.push(`| ${h.at}s | \`${h.verdict}\` | ${md(h.reason, 400)} |`)
    out.push('')
  }
  let text = out.join('\n')
  if (Buffer.byteLength(text) > SUMMARY_LIMIT) {
    text =
      Buffer.from(text).subarray(0, SUMMARY_LIMIT).toString('utf8') +
      `\n\n… summary cut at ${SUMMARY_LIMIT} bytes\n`
  }
  return text
}
