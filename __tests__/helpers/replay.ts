// Plays a scenario's steps in order on a deterministic world, without HTTP or clocks, and returns the report
// the action would write: stable enough for golden files.
import { readSettings } from '../../src/inputs.js'
import { workloadLabel } from '../../src/verify.js'
import { buildReport, type Report } from '../../src/report/report.js'
import { describeChanges } from '../../src/timeline.js'
import { decide } from '../../src/verdict/decide.js'
import type { Diagnosis, VerdictName } from '../../src/verdict/types.js'
import type { Milestone } from '../../src/wait.js'
import type { Case } from '../../testcluster/cases.js'
import { Store } from '../../testcluster/store.js'
import { World } from '../../testcluster/world.js'
import { snapshotOf } from '../../testcluster/snapshot.js'

export function replay(c: Case): Report {
  const w = new World(new Store({ deterministic: true }), { deterministic: true })
  const settings = readSettings(n => (n === 'kubeconfig' ? '' : (c.inputs[n] ?? '')))
  const build =
    settings.digest?.kind === 'build-pod'
      ? { name: settings.digest.name ?? 'build-42', namespace: settings.digest.namespace ?? 'shop' }
      : undefined
  const timeline: Milestone[] = []
  const history: { at: number; verdict: Diagnosis['verdict']; reason: string }[] = []
  let last: Diagnosis | undefined
  const steps = [...c.scenario().steps].sort((a, b) => a.at - b.at)
  for (const s of steps) {
    s.run(w)
    const d = decide(snapshotOf(w, settings.workload.name, build, settings.workload.kind), {
      ...(settings.digest ? { digest: settings.digest } : {})
    })
    for (const text of describeChanges(last, d)) timeline.push({ at: s.at, text })
    if (!last || last.reason !== d.reason) history.push({ at: s.at, verdict: d.verdict, reason: d.reason })
    last = d
  }
  const d = last!
  const verdict: VerdictName = d.verdict === 'progressing' ? 'timeout' : d.verdict
  const elapsedMs = (steps[steps.length - 1]?.at ?? 0) * 1000 + 500
  return buildReport(
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
}
