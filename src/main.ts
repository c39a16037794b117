// The action: inputs → verify → outputs, summary, annotations, deployment status. Wiring and error handling only.
import * as core from '@actions/core'
import { InputError } from './errors.js'
import { GITOPS_INPUTS, readSettings, type Settings } from './inputs.js'
import { annotationsOf, type Annotation, type Used } from './report/annotations.js'
import type { DeploymentStatus } from './report/deployment-status.js'
import { nextStep } from './report/next-step.js'
import { inputReport, outputsOf, type Report } from './report/report.js'
import { oneLine, safeLog } from './report/safe.js'
import { renderSummary } from './report/summary.js'
import { progressLine } from './report/terminal.js'
import { verifyStep } from './step.js'
import { failsStep } from './verdict/table.js'
import { workloadLabel } from './verify.js'

export async function main(): Promise<void> {
  let report: Report
  let settings: Settings | undefined
  let status: DeploymentStatus | undefined
  // Warnings about the Deployment status count within GitHub's 10 per step, like the findings' annotations.
  let statusWarnings = 0
  try {
    settings = readSettings(await inputsWithManifestWorkloads())
    if (settings.deploymentStatus) {
      core.setSecret(settings.deploymentStatus.token)
      status = await startDeploymentStatus(settings)
      if (!status) statusWarnings++
    }
    report = await verifyStep(settings, process.env, {
      mask: s => core.setSecret(s),
      onStart: i =>
        core.info(
          `kube-verdict: verifying ${i.workload} in namespace ${i.namespace} on ${safeLog(i.server)}${settings?.contexts ? ` (context ${safeLog(i.context)})` : ''}`
        ),
      // Within grace a stale or not-found reading is provisional; the CLI prints the same line.
      onChange: (h, d) => core.info(progressLine(h, d)),
      onStage: (at, text) => core.info(`[${at.toFixed(1)}s] ${oneLine(text)}`),
      onApiError: m => core.info(`  (API trouble, retrying: ${oneLine(m, 300)})`)
    })
  } catch (e) {
    const workload = core.getInput('workload')
    const namespace = core.getInput('namespace')
    if (e instanceof InputError) report = inputReport(e.message, workload, namespace)
    // A bug of ours must still leave outputs and a readable error, never a stack trace.
    else
      report = {
        ...inputReport('', workload, namespace),
        verdict: 'unreachable',
        reason: `kube-verdict could not finish: ${oneLine((e as Error)?.message ?? String(e))}`
      }
  }
  // A status still to post may warn once more: its place is kept.
  await publish(report, settings, { warning: statusWarnings + (status ? 1 : 0) })
  if (status) {
    try {
      const { stateOf } = await import('./report/deployment-status.js')
      await status.post(stateOf(report.verdict), `${report.verdict}: ${report.reason}`)
    } catch (e) {
      core.warning(`deployment status not posted: ${oneLine((e as Error).message)}`)
    }
  }
}

// @actions/github and the YAML parser load only when their inputs are set: a third of the cold start otherwise.
/** Without `workload` or `selector`, the workloads of the applied YAML (`manifests`) are the list. */
async function inputsWithManifestWorkloads(): Promise<(name: string) => string> {
  const get = (name: string): string => core.getInput(name)
  if (get('workload').trim() || get('selector').trim() || !get('manifests').trim()) return get
  // A deploy tool names its own workloads; manifests then only place the annotations.
  if (GITOPS_INPUTS.some(i => get(i).trim() !== '')) return get
  const { workloadsIn } = await import('./report/manifests.js')
  const patterns = get('manifests')
    .split(/[\n,]/)
    .map(m => m.trim())
    .filter(m => m !== '')
  const found = workloadsIn(patterns, process.env.GITHUB_WORKSPACE ?? process.cwd())
  if (found.length > 0) core.info(`workloads from the manifests: ${found.join(', ')}`)
  return name => (name === 'workload' ? found.join('\n') : get(name))
}

async function startDeploymentStatus(s: Settings): Promise<DeploymentStatus | undefined> {
  try {
    const { DeploymentStatus } = await import('./report/deployment-status.js')
    const status = new DeploymentStatus(s.deploymentStatus!, {
      repository: process.env.GITHUB_REPOSITORY,
      serverUrl: process.env.GITHUB_SERVER_URL,
      runId: process.env.GITHUB_RUN_ID
    })
    const id = await status.post('in_progress', `kube-verdict is verifying ${workloadLabel(s)}`)
    core.info(`deployment ${id}: status in_progress`)
    return status
  } catch (e) {
    core.warning(
      `deployment status not posted (needs permissions: deployments: write): ${oneLine((e as Error).message)}`
    )
    return undefined
  }
}

function annotate(a: Annotation): void {
  const props = { title: a.title, ...(a.file ? { file: a.file, startLine: a.startLine } : {}) }
  if (a.level === 'error') core.error(a.message, props)
  else if (a.level === 'warning') core.warning(a.message, props)
  else core.notice(a.message, props)
}

async function publish(r: Report, s: Settings | undefined, used: Used): Promise<void> {
  const failOnVerdict = s?.failOnVerdict ?? true
  core.info(`verdict: ${r.verdict}: ${oneLine(r.reason)}`)
  for (const [k, v] of Object.entries(outputsOf(r))) core.setOutput(k, k === 'report' ? v : oneLine(v, 4000))
  try {
    const summary = r.clusters
      ? (await import('./report/cluster-summary.js')).renderClusterSummary(r)
      : renderSummary(r)
    await core.summary.addRaw(summary).write()
  } catch (e) {
    core.info(`(job summary not written: ${oneLine((e as Error).message)})`)
  }
  if (r.findings.length > 0) {
    core.startGroup(`kube-verdict: ${r.findings.length} finding${r.findings.length > 1 ? 's' : ''}`)
    for (const f of r.findings.slice(0, 50)) {
      core.info(
        `${f.severity} ${f.verdict} ${f.cluster !== undefined ? `${oneLine(f.cluster)}: ` : ''}${oneLine(f.subject)}${f.container ? ` (${oneLine(f.container)})` : ''}: ${oneLine(f.message)}`
      )
      for (const line of (f.detail ?? []).slice(-20)) core.info(`    ${oneLine(line, 500)}`)
    }
    core.endGroup()
  }
  let located: Parameters<typeof annotationsOf>[2]
  if (s && s.manifests.length > 0) {
    const { loadManifests } = await import('./report/manifests.js')
    const m = loadManifests(
      s.manifests,
      process.env.GITHUB_WORKSPACE ?? process.cwd(),
      s.workloads,
      r.namespace,
      s.container
    )
    for (const p of m.problems) core.info(oneLine(p))
    located = m.locate
  }
  core.info(`next step: ${oneLine(nextStep(r))}`)
  for (const a of annotationsOf(r, failOnVerdict, located, used)) annotate(a)
  if (failsStep(r.verdict, failOnVerdict)) process.exitCode = 1
}
