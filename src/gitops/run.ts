// A deploy tool's change, end to end: wait until Helm, Argo CD or Flux has applied the revision, then verify the
// workloads it applied, all under the step's one deadline. The stage's milestones lead the report's timeline.
import type { CommonSettings, Settings } from '../inputs.js'
import type { KubeApi } from '../kube/api.js'
import { Waker } from '../wait.js'
import { nameOf } from '../kinds/registry.js'
import { inputReport, type Report } from '../report/report.js'
import { openApi, verifyLocated, workloadLabel, type VerifyHooks } from '../verify.js'
import { StageReader } from './read.js'
import {
  OWN_CLOCK,
  revisionWords,
  TOOL_TITLE,
  type GitopsReport,
  type GitopsSource,
  type StageState,
  type Tool
} from './stage.js'
import { appliedText, supersededText, waitForStage, type StageOutcome } from './wait.js'
import type { VerdictName } from '../verdict/types.js'

/** Below this, no workload could be verified in what is left of the deadline. */
const MIN_VERIFY_MS = 1_000

export async function verifyGitops(
  settings: Settings,
  source: GitopsSource,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks
): Promise<Report> {
  const started = Date.now()
  const { api, namespace } = openApi(settings, env, hooks, workloadLabel(settings))
  // The tool's object is watched: a change wakes the wait. The watch lasts to the last look after the workloads.
  const waker = new Waker()
  const reader = new StageReader(api, source, namespace, waker.wake)
  try {
    return await stageThenWorkloads(settings, source, hooks, { api, namespace, reader, waker, started })
  } finally {
    setImmediate(() => reader.stop())
  }
}

async function stageThenWorkloads(
  settings: Settings,
  source: GitopsSource,
  hooks: VerifyHooks,
  c: { api: KubeApi; namespace: string; reader: StageReader; waker: Waker; started: number }
): Promise<Report> {
  const { api, namespace, reader, started } = c
  const tool = source.tool
  const stage = await waitForStage({
    tool,
    timeoutMs: settings.timeoutMs,
    graceMs: settings.graceMs,
    read: () => reader.read(),
    sleep: c.waker.sleep,
    ...(hooks.onStage ? { onStage: hooks.onStage } : {}),
    ...(hooks.onApiError ? { onApiError: hooks.onApiError } : {})
  })
  const g = gitopsReport(source, reader, stage)
  const stageNs = source.tool === 'helm' ? (source.namespace ?? namespace) : source.namespace
  /** The stage's report, when no workload is verified after it. */
  const stageOnly = (verdict: VerdictName, reason: string): Report => ({
    ...inputReport('', reader.object, stageNs),
    verdict,
    reason,
    elapsedSeconds: seconds(stage.elapsedMs),
    timeline: stage.timeline,
    apiErrors: stage.apiErrors,
    reads: stage.reads,
    apiRequests: api.requests,
    gitops: g
  })
  if (stage.end !== 'applied') return stageOnly(stage.end, stage.reason)
  const s = stage.state
  const unchecked =
    source.tool === 'helm'
      ? ' (the newest; no revision was asked for)'
      : ' (no revision was checked: none was given)'
  const applied = `${appliedText(tool, s.revision)}${g.wanted ? '' : unchecked}`
  const left = settings.timeoutMs - (Date.now() - started)
  if (s.workloads.length === 0)
    return stageOnly(
      'success',
      `${applied}; it lists no workload to verify (${s.others} other object${s.others === 1 ? '' : 's'})`
    )
  if (left < MIN_VERIFY_MS)
    return stageOnly(
      'timeout',
      `${applied} at ${g.appliedAt}s, at the deadline: no time was left to verify its workloads`
    )
  // The workloads get what is left of the one deadline; the grace must fit inside it.
  const rest: CommonSettings = {
    ...settings,
    timeoutMs: left,
    graceMs: Math.min(settings.graceMs, Math.floor(left / 4))
  }
  const r = merge(await verifyLocated(rest, s.workloads, api, hooks), stage, g, applied, tool)
  return source.revision === undefined ? r : lookAgain(r, reader, tool, started)
}

/** The look after the workloads' verdict is one read; a tool that does not answer in this time changes nothing. */
const LOOK_AGAIN_MS = 3_000

/**
 * The tool read once more after the workloads' verdict: a revision applied after the wanted one meanwhile makes a
 * success or a timeout `superseded` (the pods verified may be the newer revision's); a failure stays, with a note.
 */
export async function lookAgain(
  r: Report,
  reader: { read: () => Promise<StageState> },
  tool: Tool,
  started: number
): Promise<Report> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>(res => (timer = setTimeout(() => res(undefined), LOOK_AGAIN_MS)))
  const again = await Promise.race([reader.read(), late])
    .catch(() => undefined)
    .finally(() => clearTimeout(timer))
  if (again?.phase !== 'superseded') return r
  const moved = `${TOOL_TITLE[tool]} moved on to ${revisionWords(tool, again.by)}`
  const gitops: GitopsReport = { ...r.gitops!, status: again.status, supersededBy: again.by }
  const timeline = [...r.timeline, { at: seconds(Date.now() - started), text: moved }]
  if (r.verdict !== 'success' && r.verdict !== 'timeout')
    return { ...r, reason: `${r.reason} (then ${moved})`, gitops, timeline }
  return {
    ...r,
    verdict: 'superseded',
    reason: `${supersededText(tool, again)}; the workloads had shown: ${r.reason}`,
    gitops,
    timeline
  }
}

/** The stage as the report shows it (the `report` output's `gitops`). */
function gitopsReport(
  source: GitopsSource,
  reader: Pick<StageReader, 'object' | 'at'>,
  stage: StageOutcome
): GitopsReport {
  const wanted =
    source.revision === undefined
      ? undefined
      : typeof source.revision === 'object'
        ? source.revision.text
        : String(source.revision)
  const g: GitopsReport = {
    tool: source.tool,
    object: reader.object,
    ...reader.at,
    ...(wanted ? { wanted } : {}),
    status: stage.state?.status ?? '',
    workloads: []
  }
  if (stage.end !== 'applied') {
    if (stage.state?.phase === 'failed') g.message = stage.state.message
    if (stage.state?.phase === 'superseded') g.supersededBy = stage.state.by
    return g
  }
  const s = stage.state
  g.applied = s.revision ?? ''
  g.appliedAt = seconds(stage.atMs)
  g.workloads = s.workloads.map(w => `${nameOf(w.ref)} -n ${w.namespace}`)
  if (s.falseAlarm) g.falseAlarm = s.falseAlarm
  return g
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10
}

/** The workloads' report after the stage's: its timeline first, times counted from the step's start. */
function merge(r: Report, stage: StageOutcome, g: GitopsReport, applied: string, tool: Tool): Report {
  const offset = seconds(stage.elapsedMs)
  let reason = `${applied}; ${r.reason}`
  if (g.falseAlarm) {
    const marked = `${TOOL_TITLE[tool]} marked ${revisionWords(tool, g.applied ?? '')} failed ("${g.falseAlarm}")`
    reason =
      r.verdict === 'success'
        ? `${marked}, a false alarm: ${OWN_CLOCK[tool]} gave up on its own clock, and ${r.reason}`
        : `${r.reason} (${marked}: ${OWN_CLOCK[tool]} gave up on its own clock; the pods say what happened)`
  }
  return {
    ...r,
    reason,
    elapsedSeconds: Math.round((offset + r.elapsedSeconds) * 10) / 10,
    timeline: [
      ...stage.timeline,
      ...r.timeline.map(t => ({ at: Math.round((offset + t.at) * 10) / 10, text: t.text }))
    ],
    apiErrors: r.apiErrors + stage.apiErrors,
    reads: r.reads + stage.reads,
    gitops: g
  }
}
