// The CLI's words: a live status line on a terminal, plain lines elsewhere, then the verdict with its reason,
// the digest table and the next step. Cluster text is stripped of control characters before it reaches the tty.
import { shortDigest } from '../digest/digest.js'
import type { DecisionName, Diagnosis } from '../verdict/types.js'
import { nextStepOf, type Segment } from './next-step.js'
import type { Report } from './report.js'
import { oneLine, safeLog } from './safe.js'
import { VERDICT, isVerdict, type Color as VerdictColor } from '../verdict/table.js'
import { builtUnknown, count } from './summary.js'
import { TOOL_TITLE } from '../gitops/stage.js'

export interface Out {
  isTTY: boolean
  columns: number
  color: boolean
  write: (s: string) => void
}

const CODES: Record<VerdictColor | 'cyan' | 'dim' | 'bold', number> = {
  red: 31,
  green: 32,
  yellow: 33,
  magenta: 35,
  cyan: 36,
  dim: 2,
  bold: 1
}
export type Color = keyof typeof CODES

export function paint(out: Out, color: Color, s: string): string {
  return out.color ? `\u001b[${CODES[color]}m${s}\u001b[0m` : s
}

export function verdictColor(v: DecisionName): Color {
  return VERDICT[v].color
}

/** A status line that rewrites itself on a terminal (elapsed time, what it waits for) and is silent elsewhere. */
export class StatusLine {
  private text = ''
  private started = Date.now()
  private timer?: NodeJS.Timeout

  constructor(private readonly out: Out) {}

  start(): void {
    if (!this.out.isTTY) return
    this.timer = setInterval(() => this.draw(), 200)
    this.timer.unref()
  }

  set(text: string): void {
    this.text = oneLine(text, 1000)
    this.draw()
  }

  private draw(): void {
    if (!this.out.isTTY) return
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1).padStart(5)
    const line = `${VERDICT.progressing.icon} ${elapsed}s  ${this.text}`
    const width = Math.max(20, this.out.columns - 1)
    this.out.write(`\r\u001b[2K${line.length > width ? line.slice(0, width - 1) + '…' : line}`)
  }

  stop(): void {
    clearInterval(this.timer)
    if (this.out.isTTY) this.out.write('\r\u001b[2K')
  }
}

/**
 * A progress line while waiting. A finding that ends the wait only after `grace` (a stale digest before the
 * deploy lands, a workload not created yet) is provisional until then, and says so.
 */
export function progressLine(
  h: { at: number; verdict: DecisionName; reason: string },
  d?: Diagnosis
): string {
  const note =
    d?.finality === 'after-grace'
      ? ' (provisional: it ends the wait only if it still holds after grace)'
      : d?.finality === 'at-deadline' && isVerdict(d.verdict)
        ? ' (may still heal; waiting)'
        : ''
  return `[${h.at.toFixed(1)}s] ${h.verdict}: ${oneLine(h.reason)}${note}`
}

/** What the deploy tool applied, and whether a newer revision superseded it. */
function gitopsLines(out: Out, g: NonNullable<Report['gitops']>): string[] {
  const lines: string[] = []
  const did =
    g.applied !== undefined
      ? `applied ${g.applied ? oneLine(g.applied, 80) : 'the change'} at ${g.appliedAt}s`
      : oneLine(g.status, 300)
  lines.push(
    `  ${TOOL_TITLE[g.tool].padEnd(7)}  ${oneLine(g.object)} ${did}${g.wanted ? '' : paint(out, 'dim', ' (no revision checked)')}`
  )
  if (g.falseAlarm)
    lines.push(
      paint(out, 'dim', `           its own failure was a false alarm: ${oneLine(g.falseAlarm, 300)}`)
    )
  if (g.supersededBy)
    lines.push(`           then applied ${oneLine(g.supersededBy, 80)}: superseded the revision waited for`)
  return lines
}

/** The first 20 new pods and whether each runs the built digest. */
function runningLines(out: Out, r: Report): string[] {
  const lines: string[] = []
  const mark = {
    match: paint(out, 'green', 'match'),
    mismatch: paint(out, 'red', 'MISMATCH'),
    unverifiable: paint(out, 'yellow', 'unverifiable'),
    pending: paint(out, 'dim', 'pulling')
  }
  const width = Math.max(3, ...r.running.slice(0, 20).map(p => p.pod.length))
  for (const p of r.running.slice(0, 20))
    lines.push(
      `  running  ${oneLine(p.pod).padEnd(width)}  ${p.digest ? shortDigest(p.digest) + '…' : '(none yet)'.padEnd(20)}  ${mark[p.match]}`
    )
  if (r.running.length > 20) lines.push(`  running  … ${r.running.length - 20} more pods`)
  return lines
}

/** The first five findings with their last lines of detail. */
function findingLines(out: Out, r: Report): string[] {
  const lines: string[] = []
  for (const f of r.findings.slice(0, 5)) {
    lines.push(
      `  ${paint(out, f.severity === 'error' ? 'red' : 'yellow', f.verdict)}  ${oneLine(f.subject)}${f.container ? ` (${oneLine(f.container)})` : ''}: ${oneLine(f.message, 500)}`
    )
    for (const d of (f.detail ?? []).slice(-8)) lines.push(paint(out, 'dim', `      ${oneLine(d, 300)}`))
  }
  if (r.findings.length > 5)
    lines.push(paint(out, 'dim', `  … ${r.findings.length - 5} more findings (--json has them all)`))
  return lines
}

export function renderVerdict(out: Out, r: Report, mode: 'wait' | 'explain' = 'wait'): string {
  const lines: string[] = []
  // `explain` has no deadline: a rollout still under way is not done yet, not a timeout.
  const notDone = mode === 'explain' && r.verdict === VERDICT.progressing.endsAs
  const c = verdictColor(r.verdict)
  const subject = [oneLine(r.workload), r.namespace ? `-n ${oneLine(r.namespace)}` : '']
    .filter(Boolean)
    .join(' ')
  lines.push(
    `${paint(out, c, paint(out, 'bold', notDone ? 'not done yet' : r.verdict))}  ${subject}  ${paint(out, 'dim', `(${r.elapsedSeconds}s${r.apiRequests !== undefined ? `, ${count(r.apiRequests, 'API request')}` : ''})`)}`
  )
  lines.push(`  ${oneLine(r.reason, 2000)}`)
  lines.push('')
  if (r.gitops) lines.push(...gitopsLines(out, r.gitops))
  if (r.built)
    lines.push(
      `  built    ${r.built.digest}  ${paint(out, 'dim', `from ${r.built.source}${r.built.from ? ' ' + oneLine(r.built.from) : ''}${VERDICT[r.verdict].read !== 'cluster' ? '; not verified, the cluster was not read' : ''}${r.nothingRan ? '; not verified, no pod ran (0 desired pods)' : ''}`)}`
    )
  else if (VERDICT[r.verdict].read !== 'nothing' && !(r.gitops && r.gitops.applied === undefined))
    lines.push(`  built    ${paint(out, 'dim', builtUnknown(r, true).replace(/`/g, ''))}`)
  lines.push(...runningLines(out, r), ...findingLines(out, r))
  for (const u of r.unreadable) lines.push(`  ${paint(out, 'yellow', 'unreadable')}  ${oneLine(u)}`)
  lines.push('')
  const next: Segment[] = notDone
    ? [
        { text: 'Wait for the verdict: ' },
        {
          code: `kube-verdict ${[r.workload, r.namespace ? `-n ${r.namespace}` : ''].filter(Boolean).join(' ')}`,
          is: 'command'
        },
        { text: ' (explain reads once and has no deadline).' }
      ]
    : nextStepOf(r)
  lines.push(`  ${paint(out, 'cyan', 'next')}  ${stepLine(out, next, 1000)}`)
  return lines.join('\n') + '\n'
}

/** The next step on one line of at most `max` characters, its code in bold. */
function stepLine(out: Out, step: Segment[], max: number): string {
  let left = max
  const parts: string[] = []
  for (const [i, s] of step.entries()) {
    let t = safeLog('code' in s ? s.code : s.text).replace(/\s*\n\s*/g, ' ')
    if (i === 0) t = t.trimStart()
    if (i === step.length - 1) t = t.trimEnd()
    if (left <= 0) break
    if (t.length > left) t = t.slice(0, left - 1) + '…'
    left -= t.length
    parts.push('code' in s ? paint(out, 'bold', t) : t)
  }
  return parts.join('')
}
