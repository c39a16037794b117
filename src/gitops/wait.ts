// The GitOps stage's loop: read what the tool shows → decide (pure) → until the change is applied, the tool has
// failed, or the deadline. API trouble is retried and never becomes a verdict; refused credentials end it.
import { ApiError } from '../kube/api.js'
import { AccessError } from '../kube/reader.js'
import type { Milestone } from '../wait.js'
import { describeError } from '../wait.js'
import { shortRevision } from './revision.js'
import type { StageState } from './stage.js'

export type StageEnd =
  | { end: 'applied'; state: Extract<StageState, { phase: 'applied' }>; atMs: number }
  | { end: 'apply-failed' | 'not-found' | 'timeout' | 'unreachable'; reason: string; state?: StageState }

export type StageOutcome = StageEnd & {
  elapsedMs: number
  timeline: Milestone[]
  apiErrors: number
  reads: number
}

export interface StageWait {
  /** `Argo CD`, `Helm`, `Flux`. */
  title: string
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
export function appliedText(title: string, revision: string | undefined): string {
  if (!revision) return `${title} applied the change`
  return title === 'Helm'
    ? `Helm applied revision ${revision}`
    : `${title} applied ${shortRevision(revision)}`
}

export async function waitForStage(o: StageWait): Promise<StageOutcome> {
  const now = o.now ?? Date.now
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>(r => setTimeout(r, ms)))
  const start = now()
  const deadline = start + o.timeoutMs
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
    if (!last || last.status !== s.status || last.phase !== s.phase) note(`${o.title}: ${s.status}`)
    last = s
    if (s.phase === 'applied') {
      note(appliedText(o.title, s.revision))
      return done({ end: 'applied', state: s, atMs: now() - start })
    }
    if (s.phase === 'failed') {
      const what = s.revision
        ? `${o.title === 'Helm' ? 'revision ' + s.revision : shortRevision(s.revision)}`
        : 'the change'
      note(`${o.title} could not apply ${what}`)
      return done({
        end: 'apply-failed',
        reason: `${o.title} could not apply ${what}: ${s.message}`,
        state: s
      })
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
  const problem = last.phase === 'waiting' && last.problem ? `; ${o.title} says: ${last.problem}` : ''
  return done({
    end: 'timeout',
    reason: `deadline of ${secs}s passed while waiting for ${waitingFor}${problem}`,
    state: last
  })
}
