// A deploy tool's change, end to end: wait until Helm, Argo CD or Flux has applied the revision, then verify the
// workloads it applied, all under the step's one deadline. The stage's milestones lead the report's timeline.
import type { CommonSettings, Settings } from '../inputs.js'
import { nameOf } from '../kinds/registry.js'
import { inputReport, type Report } from '../report/report.js'
import { openApi, verifyLocated, workloadLabel, type VerifyHooks } from '../verify.js'
import { StageReader } from './read.js'
import { TOOL_TITLE, type GitopsReport, type GitopsSource } from './stage.js'
import { appliedText, waitForStage, type StageOutcome } from './wait.js'
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
  const reader = new StageReader(api, source, namespace)
  const title = TOOL_TITLE[source.tool]
  const stage = await waitForStage({
    title,
    timeoutMs: settings.timeoutMs,
    graceMs: settings.graceMs,
    read: () => reader.read(),
    ...(hooks.onStage ? { onStage: hooks.onStage } : {})
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
  const applied = `${appliedText(title, s.revision)}${g.wanted ? '' : unchecked}`
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
  const r = await verifyLocated(rest, s.workloads, api, hooks)
  return merge(r, stage, g, applied, title)
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
      : typeof source.revision === 'number'
        ? String(source.revision)
        : source.revision.text
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
function merge(r: Report, stage: StageOutcome, g: GitopsReport, applied: string, title: string): Report {
  const offset = seconds(stage.elapsedMs)
  let reason = `${applied}; ${r.reason}`
  if (g.falseAlarm) {
    const marked = `${title} marked revision ${g.applied} failed ("${g.falseAlarm}")`
    reason =
      r.verdict === 'success'
        ? `${marked}, a false alarm: its own wait gave up, and ${r.reason}`
        : `${r.reason} (${marked})`
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
