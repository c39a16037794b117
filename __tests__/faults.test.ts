// The fault suite: every decision-table scenario under random API faults, seeded and repeatable. Each run's
// verdict must equal the fault-free one. In-process (the real client library over real HTTPS) to fit 200 runs.
import { readSettings } from '../src/inputs.js'
import { verify } from '../src/verify.js'
import { standInStories } from '../testcluster/stories/index.js'
import type { StandInStory } from '../testcluster/stories/story.js'
import { play } from '../testcluster/stories/stand-in.js'
import { faultsFor, roomFor } from '../testcluster/fault-plans.js'
import { mulberry32 } from '../testcluster/faults.js'
import { kubeconfigYaml } from '../testcluster/kubeconfig.js'

const RUNS = Number(process.env.KV_FAULT_RUNS ?? 200)
const SEED = Number(process.env.KV_FAULT_SEED ?? 20261121)
// Runs mostly wait on timers (deadlines, story steps): many fit side by side on two cores.
const CONCURRENCY = 10

/**
 * Deadline-ending scenarios get room for retries (a fault plan may refuse or stall the API for seconds: with
 * too short a deadline `unreachable` would be the true answer); early-ending ones keep theirs.
 */
function inputsFor(c: StandInStory): Record<string, string> {
  return c.early ? c.inputs : { ...c.inputs, timeout: '8s' }
}

test(`${RUNS} runs with random API faults give the fault-free verdict`, async () => {
  const random = mulberry32(SEED)
  const stories = standInStories()
  const plans = Array.from({ length: RUNS }, (_, i) => {
    const c = stories[i % stories.length]!
    const inputs = inputsFor(c)
    const seed = Math.floor(random() * 2 ** 31)
    const plan = faultsFor(random, parseFloat(inputs.timeout!))
    // A verdict that comes at the deadline gets the time the faults take away; `timeout` cases keep theirs.
    if (!c.early && c.expect !== 'timeout') inputs.timeout = `${parseFloat(inputs.timeout!) + roomFor(plan)}s`
    return { c, inputs, seed, ...plan }
  })
  let injected = 0
  let compactions = 0
  const mismatches: string[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < plans.length) {
      const p = plans[next++]!
      const s = p.c.scenario().withFaults(...p.rules)
      for (const t of p.compactAt) s.at(t, 'etcd compaction', w => w.store.compact())
      const pb = await play(s, { scale: p.c.name.includes('seeds') ? 0.03 : 1, quiet: true, seed: p.seed })
      try {
        const settings = readSettings(n =>
          n === 'kubeconfig' ? kubeconfigYaml(pb.server) : (p.inputs[n] ?? '')
        )
        const started = Date.now()
        const report = await verify(settings, {}, { mask: () => undefined })
        const late = Date.now() - started - settings.timeoutMs
        if (report.verdict !== p.c.expect)
          mismatches.push(`${p.c.name} with ${p.names.join(' + ')}: ${report.verdict} (${report.reason})`)
        if (late > 1500)
          mismatches.push(`${p.c.name} with ${p.names.join(' + ')}: ran ${late} ms past its deadline`)
        injected += pb.server.faults.injected
        compactions += p.compactAt.length
      } finally {
        await pb.stop()
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  console.log(
    `fault suite (seed ${SEED}): ${RUNS} runs, ${injected} faults injected into requests, ${compactions} compactions, ${mismatches.length} mismatches`
  )
  expect(mismatches).toEqual([])
}, 900_000)
