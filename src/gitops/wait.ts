// The GitOps stage's loop: read what the tool shows → decide (pure) → until the change is applied, the tool has
// failed, or the deadline. API trouble is retried and never becomes a verdict; refused credentials end it.
import { ApiError } from '../kube/api.js'
import { AccessError } from '../kube/reader.js'
import type { Milestone } from '../wait.js'
import { describeError } from '../wait.js'
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
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

const FIRST_POLL_MS = 500
const CAP_MS = 2_000

/** `Argo CD applied 9a8b7c6`, `Helm applied revision 4`. */
export function appliedText(tool: Tool, revision: string | undefined): string {
  return `${TOOL_TITLE[tool]} applied ${revision ? revisionWords(tool, revision) : 'the change'}`
}

/** The reason of `superseded`: both revisions, and how the tool's own order shows it. */
export function supersededText(tool: Tool, s: Extract<StageState, { phase: 'superseded' }>): string {
  const [wanted, by] = [revisionWords(tool, s.wanted), revisionWords(tool, s.by)]
  return `${TOOL_TITLE[tool]} applied ${by} after ${wanted}, the revision this step waits for (${s.evidence}): ${wanted} was superseded before it could be verified`
}

export async function waitForStage(o: StageWait): Promise<StageOutcome> {
  const now = o.now ?? Date.now
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>(r => setTimeout(r, ms)))
  const start = now()
  const deadline = start + o.timeoutMs
  const title = TOOL_TITLE[o.tool]
  const timeline: Milestone[] = []
  let apiErrors = 0
  let reads = 0
  let lastError = ''
  let last: StageState | undefined
  let absentSince: number | undefined
  let interval = FIRST_POLL_MS
  const at = (): number => Math.round((now() - start) / 100) / 10
  const note = (text: string): void => {
    const m = { at: at(), text }
    if (timeline.length < 100) timeline.push(m)
    o.onStage?.(m.at, text)
  }
  const done = (e: StageEnd): StageOutcome => ({ ...e, elapsedMs: now() - start, timeline, apiErrors, reads })

  while (true) {
    let s: StageState | undefined
    try {
      s = await o.read()
      reads++
    } catch (e) {
      if (e instanceof AccessError) return done({ end: 'unreachable', reason: e.message })
      apiErrors++
      lastError = describeError(e)
      const retryAfter = e instanceof ApiError && e.retryAfterS ? e.retryAfterS * 1000 : 0
      if (now() >= deadline) break
      await sleep(Math.min(deadline - now(), Math.max(retryAfter, interval)))
      continue
    }
    if (!last || last.status !== s.status || last.phase !== s.phase) note(`${title}: ${s.status}`)
    last = s
    if (s.phase === 'applied') {
      note(appliedText(o.tool, s.revision))
      return done({ end: 'applied', state: s, atMs: now() - start })
    }
    if (s.phase === 'failed') {
      const what = s.revision ? revisionWords(o.tool, s.revision) : 'the change'
      note(`${title} could not apply ${what}`)
      return done({
        end: 'apply-failed',
        reason: `${title} could not apply ${what}: ${s.message}`,
        state: s
      })
    }
    if (s.phase === 'superseded') {
      note(`${title} moved on to ${revisionWords(o.tool, s.by)}`)
      return done({ end: 'superseded', reason: supersededText(o.tool, s), state: s })
    }
    if (s.phase === 'absent') {
      absentSince ??= now()
      if (now() - absentSince >= o.graceMs) return done({ end: 'not-found', reason: s.status, state: s })
    } else absentSince = undefined
    if (now() >= deadline) break
    let pause = interval
    if (absentSince !== undefined) pause = Math.min(pause, absentSince + o.graceMs - now())
    await sleep(Math.max(0, Math.min(pause, deadline - now())))
    interval = Math.min(CAP_MS, interval * 1.5)
  }
  const secs = Math.round(o.timeoutMs / 1000)
  if (!last)
    return done({
      end: 'unreachable',
      reason: `the cluster could not be read for the whole wait of ${secs}s: ${lastError}`
    })
  const waitingFor = last.phase === 'waiting' ? last.waitingFor : last.status
  const problem = last.phase === 'waiting' && last.problem ? `; ${title} says: ${last.problem}` : ''
  const seen = last.phase === 'waiting' && last.seen ? `; ${title} ${last.seen}` : ''
  return done({
    end: 'timeout',
    reason: `deadline of ${secs}s passed while waiting for ${waitingFor}${problem}${seen}`,
    state: last
  })
}
