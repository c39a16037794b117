// The GitOps stage's wait: read what the tool shows → decide (pure) → until the change is applied, the tool has
// failed or moved past it, or the deadline, on the one loop the workloads share (src/poll.ts). API trouble is
// retried and never becomes a verdict; refused credentials end it.
import { pollUntil, type Look } from '../poll.js'
import type { Milestone } from '../wait.js'
import { revisionWords, TOOL_TITLE, type StageState, type Tool } from './stage.js'

export type StageEnd =
  | { end: 'applied'; state: Extract<StageState, { phase: 'applied' }>; atMs: number }
  | {
      end: 'apply-failed' | 'not-found' | 'superseded' | 'timeout' | 'unreachable'
      reason: string
      state?: StageState
    }

export type StageOutcome = StageEnd & {
  elapsedMs: number
  timeline: Milestone[]
  apiErrors: number
  reads: number
}

export interface StageWait {
  tool: Tool
  timeoutMs: number
  graceMs: number
  read: () => Promise<StageState>
  onStage?: (at: number, text: string) => void
  onApiError?: (message: string) => void
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/** `Argo CD applied 9a8b7c6`, `Helm applied revision 4`. */
export function appliedText(tool: Tool, revision: string | undefined): string {
  return `${TOOL_TITLE[tool]} applied ${revision ? revisionWords(tool, revision) : 'the change'}`
}

/** The reason of `superseded`: both revisions, and how the tool's own order shows it. */
export function supersededText(tool: Tool, s: Extract<StageState, { phase: 'superseded' }>): string {
  const [wanted, by] = [revisionWords(tool, s.wanted), revisionWords(tool, s.by)]
  return `${TOOL_TITLE[tool]} applied ${by} after ${wanted}, the revision this step waits for (${s.evidence}): ${wanted} was superseded before it could be verified`
}

/** The end a stage state makes, if it makes one. */
function endOf(tool: Tool, s: StageState, atMs: number): StageEnd | undefined {
  const title = TOOL_TITLE[tool]
  if (s.phase === 'applied') return { end: 'applied', state: s, atMs }
  if (s.phase === 'superseded') return { end: 'superseded', reason: supersededText(tool, s), state: s }
  if (s.phase !== 'failed') return undefined
  const what = s.revision ? revisionWords(tool, s.revision) : 'the change'
  return { end: 'apply-failed', reason: `${title} could not apply ${what}: ${s.message}`, state: s }
}

/** The milestone an end makes in the timeline. */
function endNote(tool: Tool, e: StageEnd): string {
  const title = TOOL_TITLE[tool]
  const s = e.state
  if (e.end === 'applied') return appliedText(tool, e.state.revision)
  if (s?.phase === 'superseded') return `${title} moved on to ${revisionWords(tool, s.by)}`
  const revision = s?.phase === 'failed' ? s.revision : undefined
  return `${title} could not apply ${revision ? revisionWords(tool, revision) : 'the change'}`
}

/** The stage on the one wait loop (src/poll.ts): its read deadline, never-reached limit, backoff and retries. */
export async function waitForStage(o: StageWait): Promise<StageOutcome> {
  const now = o.now ?? Date.now
  const start = now()
  const title = TOOL_TITLE[o.tool]
  const timeline: Milestone[] = []
  let last: StageState | undefined
  let ended: StageEnd | undefined
  let absentSince: number | undefined
  const note = (text: string): void => {
    const m = { at: Math.round((now() - start) / 100) / 10, text }
    if (timeline.length < 100) timeline.push(m)
    o.onStage?.(m.at, text)
  }
  const look = (s: StageState): Look => {
    if (!last || last.status !== s.status || last.phase !== s.phase) note(`${title}: ${s.status}`)
    const changed = last?.phase !== s.phase
    last = s
    ended = endOf(o.tool, s, now() - start)
    if (ended) {
      note(endNote(o.tool, ended))
      return { done: true }
    }
    if (s.phase !== 'absent') {
      absentSince = undefined
      return { done: false, reset: changed }
    }
    absentSince ??= now()
    const left = absentSince + o.graceMs - now()
    if (left > 0) return { done: false, withinMs: left, reset: changed }
    ended = { end: 'not-found', reason: s.status, state: s }
    return { done: true }
  }
  const polled = await pollUntil({
    timeoutMs: o.timeoutMs,
    read: () => o.read(),
    look,
    ...(o.onApiError ? { onApiError: o.onApiError } : {}),
    now,
    ...(o.sleep ? { sleep: o.sleep } : {})
  })
  const done = (e: StageEnd): StageOutcome => ({
    ...e,
    elapsedMs: polled.elapsedMs,
    timeline,
    apiErrors: polled.apiErrors,
    reads: polled.reads
  })
  if (polled.end === 'unreachable') return done({ end: 'unreachable', reason: polled.reason })
  if (polled.end === 'done') return done(ended!)
  return done(atDeadline(title, last!, o.timeoutMs))
}

/** `timeout`: what the stage still waited for, the tool's error meanwhile, and what it was seen at. */
function atDeadline(title: string, last: StageState, timeoutMs: number): StageEnd {
  const secs = Math.round(timeoutMs / 1000)
  const waitingFor = last.phase === 'waiting' ? last.waitingFor : last.status
  const problem = last.phase === 'waiting' && last.problem ? `; ${title} says: ${last.problem}` : ''
  const seen = last.phase === 'waiting' && last.seen ? `; ${title} ${last.seen}` : ''
  return {
    end: 'timeout',
    reason: `deadline of ${secs}s passed while waiting for ${waitingFor}${problem}${seen}`,
    state: last
  }
}
