// The job summary: headline, next step, image, pods, timeline, then the evidence in collapsed blocks. Every
// piece of cluster text is escaped; the whole stays under GitHub's 1 MiB per step whatever the cluster says.
import { shortDigest } from '../digest/digest.js'
import { groupFindings, podsOf } from './findings.js'
import { nextStepOf, type Segment } from './next-step.js'
import type { Report } from './report.js'
import { html, md, mdCode, preBlock } from './safe.js'
import { VERDICT } from '../verdict/table.js'
import type { Finding } from '../verdict/types.js'
import { OWN_CLOCK, TOOL_TITLE } from '../gitops/stage.js'

/** GitHub shows step summaries up to 1 MiB; stay well under it. */
export const SUMMARY_LIMIT = 900 * 1024
const MAX_ROWS = 50
/** Findings shown with their detail (log lines, the scheduler's reasons); the rest get a line each. */
const DETAILED = 30

function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', '']
}

/** The next step in Markdown: its words escaped, its code as code spans. */
export function mdStep(step: Segment[]): string {
  return step
    .map(s => {
      if ('code' in s) return mdCode(s.code)
      const part = s.text
      // md() trims; keep the spaces around code spans.
      const lead = /^\s*/.exec(part)![0]
      const trail = /\s*$/.exec(part)![0]
      return part.trim() === '' ? part : lead + md(part) + trail
    })
    .join('')
}

/** `1 API request`, `6 API requests`. */
export function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}

/** What the report says of the built digest when the cluster reads did not give it. */
export function builtUnknown(r: Report, flags = false): string {
  const sources = flags
    ? '--digest, --digest-file or --build-pod'
    : '`expected-digest`, `digest-file` or `build-pod`'
  if (!r.digestSource) return `not known (no ${sources}): the image was not verified`
  if (VERDICT[r.verdict].read !== 'cluster')
    return `not known: the cluster was not read, so the image was not verified`
  if (r.digestSource === 'build-pod')
    return 'not known yet: the build pod has not logged a pushed digest, so the image was not verified'
  return `not known from ${flags ? 'the given digest' : `\`${r.digestSource}\``}: the image was not verified`
}

/** What the deploy tool did: applied which revision when, or where it stood; its own false alarm. */
function gitopsLine(r: Report): string {
  const g = r.gitops!
  const title = TOOL_TITLE[g.tool]
  const wanted = g.wanted
    ? ` (waited for ${mdCode(g.wanted, 80)})`
    : g.tool === 'helm'
      ? ' (the newest revision; none was asked for)'
      : ' (no revision given, so none was checked)'
  const n = g.workloads.length
  const line =
    g.applied !== undefined
      ? `${mdCode(g.object)}: ${title} applied ${g.applied ? `${g.tool === 'helm' ? 'revision ' : ''}${mdCode(g.applied, 80)}` : 'the change'} at ${g.appliedAt}s${wanted}; then ${n} workload${n === 1 ? ' was' : 's were'} verified.`
      : `${mdCode(g.object)}: ${md(g.status, 300)}${wanted}${g.message ? ` — ${md(g.message, 1000)}` : ''}`
  const moved = g.supersededBy
    ? `\n\n${title} then applied ${mdCode(g.supersededBy, 80)}: the revision waited for was superseded.`
    : ''
  return g.falseAlarm
    ? `${line}${moved}\n\n${title} marked it failed (${mdCode(g.falseAlarm, 500)}), but only ${OWN_CLOCK[g.tool]} gave up on its own clock: the pods decide.`
    : `${line}${moved}`
}

/** One cluster's part of a several-cluster summary: its bytes, and its context in the heading. */
export interface ClusterPart {
  limit: number
  context: string
}

export function renderSummary(r: Report, part?: ClusterPart): string {
  const findings = findingSections(r)
  // A cluster's part sits one heading level below the step's.
  const h = part ? '####' : '###'
  return withinLimit(part?.limit ?? SUMMARY_LIMIT, [
    { lines: headSection(r, part?.context) },
    { lines: imageSection(r, h) },
    { lines: podSection(r, h) },
    { lines: timelineSection(r, h) },
    { lines: findings.evidence, shorter: findings.brief },
    { lines: findings.rest },
    { lines: otherSection(r, h) }
  ])
}

/** The verdict, its reason, the next step, the counts; the deploy tool's line and each workload's verdict. */
function headSection(r: Report, context?: string): string[] {
  const head: string[] = []
  const subject = [r.workload, r.namespace ? `-n ${r.namespace}` : ''].filter(Boolean).join(' ')
  const title =
    context !== undefined
      ? `### ${VERDICT[r.verdict].icon} ${mdCode(context)}:`
      : `## ${VERDICT[r.verdict].icon} kube-verdict:`
  head.push(`${title} \`${r.verdict}\`${subject ? ` — ${mdCode(subject)}` : ''}`, '')
  head.push(md(r.reason), '', `**Next step:** ${mdStep(nextStepOf(r))}`, '')
  const facts = [
    `waited ${r.elapsedSeconds}s`,
    r.apiRequests !== undefined ? count(r.apiRequests, 'API request') : count(r.reads, 'read')
  ]
  if (r.replicas) facts.unshift(`new pods Ready: **${r.replicas.ready}/${r.replicas.desired}**`)
  if (r.apiErrors) facts.push(`${count(r.apiErrors, 'API error')} retried`)
  head.push(facts.join(' · '), '')
  if (r.gitops) head.push(gitopsLine(r), '')

  if (r.workloads) {
    head.push('| workload | verdict | reason |', '|---|---|---|')
    for (const w of r.workloads)
      head.push(
        `| ${mdCode(w.workload)} | ${VERDICT[w.verdict].icon} \`${w.verdict}\` | ${md(w.reason, 500)} |`
      )
    head.push('')
  }
  return head
}

/** The built digest and the digest each pod runs. */
function imageSection(r: Report, h: string): string[] {
  // Bad input has no image to speak of; an unreachable cluster only what the inputs said was built; a deploy
  // tool that never applied the change leaves no workload read, so no image either.
  const stageOnly = r.gitops !== undefined && r.gitops.applied === undefined
  const read = VERDICT[r.verdict].read
  const noImage = stageOnly || read === 'nothing' || (read === 'inputs' && !r.digestSource)
  const image: string[] = noImage ? [] : [`${h} Image`, '', builtLine(r), '']
  if (r.running.length > 0) {
    image.push('| pod | container | running digest | check |', '|---|---|---|---|')
    const mark = {
      match: '✅ match',
      mismatch: '❌ mismatch',
      unverifiable: '❔ unverifiable',
      pending: '⏳ pulling'
    }
    for (const p of r.running.slice(0, MAX_ROWS))
      image.push(
        `| ${mdCode(p.pod)} | ${mdCode(p.container)} | ${mdCode(p.digest ? shortDigest(p.digest) + '…' : p.imageID || '(none yet)', 100)} | ${mark[p.match]} |`
      )
    if (r.running.length > MAX_ROWS) image.push(`| … ${r.running.length - MAX_ROWS} more pods | | | |`)
    image.push('')
  }
  return image
}

function builtLine(r: Report): string {
  if (!r.built) return `Built digest ${builtUnknown(r)}.`
  return `Built ${mdCode(r.built.digest, 80)} — from ${r.built.source}${r.built.from ? ` ${mdCode(r.built.from)}` : ''}${VERDICT[r.verdict].read !== 'cluster' ? ': not verified, the cluster was not read' : ''}${r.nothingRan ? ': not verified, no pod ran (0 desired pods)' : ''}`
}

function podSection(r: Report, h: string): string[] {
  if (r.pods.length === 0) return []
  const pods = [
    `${h} New pods`,
    '',
    '| pod | phase | ready | restarts | node | state |',
    '|---|---|---|---|---|---|'
  ]
  for (const p of r.pods.slice(0, MAX_ROWS))
    pods.push(
      `| ${mdCode(p.name)} | ${md(p.phase)} | ${p.ready} | ${p.restarts} | ${p.node ? mdCode(p.node) : '—'} | ${p.state ? md(p.state) : '—'} |`
    )
  if (r.pods.length > MAX_ROWS) pods.push(`| … ${r.pods.length - MAX_ROWS} more | | | | | |`)
  pods.push('')
  return pods
}

function timelineSection(r: Report, h: string): string[] {
  if (r.timeline.length === 0) return []
  const timeline = [`${h} Timeline`, '', '| after | what the action saw |', '|---:|---|']
  for (const t of r.timeline.slice(0, 100)) timeline.push(`| ${t.at}s | ${md(t.text, 400)} |`)
  if (r.timeline.length > 100) timeline.push(`| … | ${r.timeline.length - 100} more changes |`)
  timeline.push(`| ${r.elapsedSeconds}s | verdict \`${r.verdict}\` |`, '')
  return timeline
}

/**
 * Every finding is here: the first ones with their detail (`brief`: the same without it, when the detail would not
 * fit), the rest one line per workload and cause (what the annotations count), so "N more findings in the job
 * summary" holds whatever the cluster says.
 */
function findingSections(r: Report): { evidence: string[]; brief: string[]; rest: string[] } {
  const line = (f: Finding, others = 0): string =>
    `<b>${f.verdict}</b> ${html(f.subject)}${f.container ? ` (${html(f.container)})` : ''}${others > 0 ? ` and ${others} more pod${others > 1 ? 's' : ''}` : ''}: ${html(f.message, 300)}`
  const evidence: string[] = []
  const brief: string[] = []
  for (const f of r.findings.slice(0, DETAILED)) {
    const title = line(f)
    // A finding with nothing more to show is one line, not a block that opens onto nothing.
    if (f.detail && f.detail.length > 0) evidence.push(...details(title, [preBlock(f.detail)]))
    else evidence.push(`<p>${title}</p>`, '')
    brief.push(`<p>${title}</p>`, '')
  }
  const rest: string[] = []
  const several = (r.workloads?.length ?? 0) > 1
  if (r.findings.length > DETAILED) {
    const groups = groupFindings(r.findings.slice(DETAILED))
    rest.push(
      ...details(
        `${count(r.findings.length - DETAILED, 'more finding')}, one line per workload and cause`,
        groups.map(
          g =>
            `<p>${several ? `${html(g.workload)}: ` : ''}${line(g.first, g.pods - podsOf(g.first).length)}</p>`
        )
      )
    )
  }
  return { evidence, brief, rest }
}

/** Warning events and the evidence the credentials could not read. */
function otherSection(r: Report, h: string): string[] {
  const other: string[] = []
  if (r.warnings.length > 0) {
    const rows = [
      '| object | reason | count | message |',
      '|---|---|---:|---|',
      ...r.warnings
        .slice(0, MAX_ROWS)
        .map(w => `| ${mdCode(w.object)} | ${md(w.reason)} | ${w.count} | ${md(w.message, 500)} |`)
    ]
    if (r.warnings.length > MAX_ROWS) rows.push(`| … ${r.warnings.length - MAX_ROWS} more | | | |`)
    other.push(...details(`Warning events (${r.warnings.length})`, rows))
  }
  if (r.unreadable.length > 0)
    other.push(`${h} Evidence that could not be read`, '', ...r.unreadable.map(u => `- ${md(u)}`), '')
  return other
}

/**
 * Sections in order of importance; a section that would pass the limit is shortened (findings lose their detail)
 * or replaced by a note.
 */
function withinLimit(limit: number, sections: { lines: string[]; shorter?: string[] }[]): string {
  let text = ''
  for (const { lines, shorter } of sections) {
    if (lines.length === 0) continue
    const fits = (l: string[]): string | undefined => {
      const part = l.join('\n') + '\n'
      return Buffer.byteLength(text + part) > limit ? undefined : part
    }
    const part = fits(lines) ?? (shorter ? fits(shorter) : undefined)
    if (part !== undefined) {
      text += part
      continue
    }
    const bytes = Buffer.byteLength(lines.join('\n') + '\n')
    text += `\n_${bytes} bytes of ${lines[0]?.startsWith('#') ? lines[0].replace(/^#+\s*/, '') : 'evidence'} left out to stay under GitHub's 1 MiB summary limit; the \`report\` output has it._\n`
  }
  return text
}
