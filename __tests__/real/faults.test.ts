// The seeded fault suite on the real path: a TLS proxy in front of the real apiserver injects the faults, and
// 410 Gone comes from real etcd compaction. All 200 runs of the stand-in suite run here too
// (KV_REAL_FAULT_RUNS, default 200); each run's verdict must equal the fault-free one.
import { readSettings } from '../../src/inputs.js'
import { verify } from '../../src/verify.js'
import { faultsFor, roomFor } from '../../testcluster/fault-plans.js'
import { mulberry32 } from '../../testcluster/faults.js'
import { kubeconfigFor } from '../../testcluster/real/controlplane.js'
import { FaultProxy } from '../../testcluster/real/fault-proxy.js'
import {
  cleanup,
  kubeconfigForStory,
  realCluster,
  slug,
  type RealCluster
} from '../../testcluster/real/harness.js'
import { realStories } from '../../testcluster/stories/index.js'
import type { StoryNs } from '../../testcluster/stories/story.js'

const RUNS = Number(process.env.KV_REAL_FAULT_RUNS ?? 200)
const SEED = Number(process.env.KV_FAULT_SEED ?? 20261123)
const CONCURRENCY = 4

let c: RealCluster

beforeAll(async () => {
  c = await realCluster(
    {
      crashBackoff: 0.5,
      nodeGroups: [
        {
          name: 'general-pool',
          max: 20,
          provisionSeconds: 1,
          template: { cpu: '4', memory: '16Gi', labels: { pool: 'general' } }
        }
      ]
    },
    // Watches then go to etcd, so one resumed from before a compaction gets etcd's 410 Gone.
    { watchCache: false }
  )
}, 120_000)

afterAll(async () => {
  await c?.stop()
})

test(`${RUNS} runs on the real control plane with random API faults give the fault-free verdict`, async () => {
  const random = mulberry32(SEED)
  const stories = realStories().filter(s => !s.credentials)
  const plans = Array.from({ length: RUNS }, (_, i) => {
    const story = stories[i % stories.length]!
    const seed = Math.floor(random() * 2 ** 31)
    const plan = faultsFor(random, parseFloat(story.timeout))
    // A verdict that comes at the deadline gets the time the faults take away; `timeout` stories keep theirs.
    const timeout =
      story.expect === 'timeout' ? story.timeout : `${parseFloat(story.timeout) + roomFor(plan)}s`
    return { story, timeout, seed, ...plan }
  })
  let injected = 0
  let compactions = 0
  let gone = 0
  const mismatches: string[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < plans.length) {
      const p = plans[next++]!
      const id = slug(p.story.name)
      const ns: StoryNs = { app: id, build: `${id}-ci` }
      await c.cp.namespace(ns.app)
      await c.cp.namespace(ns.build)
      const inputs = p.story.inputs(ns)
      const direct = await kubeconfigForStory(c, p.story, ns, 'build-pod' in inputs)
      const token = /token: (\S+)/.exec(direct)![1]!
      await p.story.setup(c.world, ns)
      const proxy = await new FaultProxy(c.cp, p.seed).add(...p.rules).start()
      const timers = p.compactAt.map(t =>
        setTimeout(() => void c.cp.compact().catch(e => mismatches.push(`compaction failed: ${e}`)), t * 1000)
      )
      try {
        const then = p.story.then?.(c.world, ns)
        const settings = readSettings(n =>
          n === 'kubeconfig'
            ? kubeconfigFor(proxy.url, c.cp.caPem, token)
            : n === 'timeout'
              ? p.timeout
              : (inputs[n] ?? '')
        )
        const started = Date.now()
        const report = await verify(settings, {}, { mask: () => undefined })
        await then
        const late = Date.now() - started - settings.timeoutMs
        const what = `${p.story.name} with ${p.names.join(' + ')}`
        if (report.verdict !== p.story.expect)
          mismatches.push(`${what}: ${report.verdict} (${report.reason})`)
        if (late > 1500) mismatches.push(`${what}: ran ${late} ms past its deadline`)
        injected += proxy.faults.injected
        compactions += p.compactAt.length
        gone += proxy.gone
      } finally {
        timers.forEach(clearTimeout)
        await proxy.stop()
        await cleanup(c, ns)
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  console.log(
    `real-path fault suite (seed ${SEED}): ${RUNS} runs, ${injected} faults injected, ${compactions} etcd compactions (${gone} answers 410 Gone), ${mismatches.length} mismatches`
  )
  expect(mismatches).toEqual([])
}, 1_200_000)
