// Replays a case's recorded snapshots (JSON fixtures the production reader recorded, one per step) through the
// decision, and returns the report the action would write: stable enough for golden files.
// UPDATE_FIXTURES=1 records them again from the test cluster (__tests__/unit/fixtures.test.ts checks them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { readSettings } from '../../src/inputs.js'
import { withDigestSource, workloadLabel } from '../../src/verify.js'
import { buildReport, type Report } from '../../src/report/report.js'
import { describeChanges } from '../../src/timeline.js'
import { decide } from '../../src/verdict/decide.js'
import type { Diagnosis, VerdictName } from '../../src/verdict/types.js'
import type { Milestone } from '../../src/wait.js'
import type { StandInStory } from '../../testcluster/stories/story.js'
import { fixturePath, fixtureText, record, type RecordedStep } from '../../testcluster/record.js'

export async function recorded(c: StandInStory): Promise<RecordedStep[]> {
  const file = fixturePath(c)
  if (!process.env.UPDATE_FIXTURES && existsSync(file))
    return JSON.parse(readFileSync(file, 'utf8')) as RecordedStep[]
  const steps = await record(c)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, fixtureText(steps))
  return steps
}

export async function replay(c: StandInStory): Promise<Report> {
  const settings = readSettings(n => (n === 'kubeconfig' ? '' : (c.inputs[n] ?? '')))
  const timeline: Milestone[] = []
  const history: { at: number; verdict: Diagnosis['verdict']; reason: string }[] = []
  let last: Diagnosis | undefined
  const steps = await recorded(c)
  for (const s of steps) {
    const d = decide(s.snapshot, { ...(settings.digest ? { digest: settings.digest } : {}) })
    for (const text of describeChanges(last, d)) timeline.push({ at: s.at, text })
    if (!last || last.reason !== d.reason) history.push({ at: s.at, verdict: d.verdict, reason: d.reason })
    last = d
  }
  const d = last!
  const verdict: VerdictName = d.verdict === 'progressing' ? 'timeout' : d.verdict
  const elapsedMs = (steps[steps.length - 1]?.at ?? 0) * 1000 + 500
  // As the action does: what the inputs said of the built digest, where the reads did not say it.
  const report = buildReport(
    {
      verdict,
      reason:
        d.verdict === 'progressing' ? `deadline passed while still waiting for ${d.waitingFor}` : d.reason,
      diagnosis: d,
      elapsedMs,
      history,
      timeline,
      apiErrors: 0,
      reads: steps.length
    },
    workloadLabel(settings),
    settings.namespace ?? 'default'
  )
  return withDigestSource(report, settings)
}
