// The action: inputs → verify → outputs, summary, annotation. Wiring and error handling only.
import * as core from '@actions/core'
import { InputError, readSettings } from './inputs.js'
import { inputReport, outputsOf, type Report } from './report/report.js'
import { nextStep } from './report/next-step.js'
import { oneLine, safeLog } from './report/safe.js'
import { renderSummary } from './report/summary.js'
import { verify } from './verify.js'

export async function main(): Promise<void> {
  let report: Report
  let failOnVerdict = true
  try {
    const settings = readSettings(name => core.getInput(name))
    failOnVerdict = settings.failOnVerdict
    report = await verify(settings, process.env, {
      mask: s => core.setSecret(s),
      onStart: i =>
        core.info(
          `kube-verdict: verifying ${i.workload} in namespace ${i.namespace} on ${safeLog(i.server)}`
        ),
      onChange: (h, d) =>
        core.info(
          `[${h.at.toFixed(1)}s] ${h.verdict}: ${safeLog(oneLine(h.reason))}${d.finality === 'at-deadline' && d.verdict !== 'progressing' ? ' (may still heal; waiting)' : ''}`
        ),
      onApiError: m => core.info(`  (API trouble, retrying: ${oneLine(m, 300)})`)
    })
  } catch (e) {
    if (e instanceof InputError) {
      report = inputReport(e.message, core.getInput('workload'), core.getInput('namespace'))
    } else {
      // A bug of ours must still leave outputs and a readable error, never a stack trace.
      report = {
        ...inputReport('', core.getInput('workload'), core.getInput('namespace')),
        verdict: 'unreachable',
        reason: `kube-verdict could not finish: ${(e as Error)?.message ?? String(e)}`
      }
    }
  }
  await publish(report, failOnVerdict)
}

async function publish(r: Report, failOnVerdict: boolean): Promise<void> {
  for (const [k, v] of Object.entries(outputsOf(r))) core.setOutput(k, k === 'report' ? v : oneLine(v, 4000))
  try {
    await core.summary.addRaw(renderSummary(r)).write()
  } catch (e) {
    core.info(`(job summary not written: ${oneLine((e as Error).message)})`)
  }
  const line = `${r.verdict}: ${oneLine(r.reason)}`
  core.info(`verdict: ${line}`)
  core.info(`next step: ${oneLine(nextStep(r))}`)
  const title = `kube-verdict: ${r.verdict}`
  if (r.verdict === 'success') core.notice(oneLine(r.reason), { title })
  else if (r.verdict === 'invalid-input' || failOnVerdict) core.setFailed(line)
  else core.warning(oneLine(r.reason), { title })
  if (r.verdict !== 'success' && r.verdict !== 'invalid-input' && failOnVerdict) {
    // setFailed wrote the error annotation; add the next step as a notice people see beside it.
    core.notice(oneLine(nextStep(r)), { title: `${title}: next step` })
  }
}
