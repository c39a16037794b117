// `npm run bench`: kube-verdict beside `kubectl rollout status` on the same scenarios, in the same run.
// Prints latency after settle, API cost, cold start and scale. `--smoke` is a quick pass (CI runs it);
// `--write` puts the tables into BENCHMARKS.md.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { kubeconfigYaml, writeKubeconfig } from '../testcluster/kubeconfig.js'
import { play, type Scenario, NS } from '../testcluster/stories/stand-in.js'
import { NEW_DIGEST, REPO, V2 } from '../testcluster/stories/images.js'
import type { RequestCount } from '../testcluster/server.js'
import { firstPod, until } from '../testcluster/timeline/edit.js'
import { replay } from '../testcluster/timeline/replay.js'
import { isRolledOut } from '../testcluster/real/world.js'
import { evaluationCpu } from './evaluation.js'
import { FaultProxy } from '../testcluster/real/fault-proxy.js'
import { addNoise } from './noise.js'
import { ROLLS_OUT, SEEDS, rowScenario, stalled, stallMoments } from './recordings.js'

const SMOKE = process.argv.includes('--smoke')
const WRITE = process.argv.includes('--write')
const RUNS = SMOKE ? 1 : 5
/** `--only scale` (or latency, stall, cold) runs one part, for quick iteration. */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
const part = (name: string): boolean => !ONLY || ONLY === name
const BUNDLE = resolve('dist/index.js')
const CLI = resolve('dist/cli/index.js')
const KUBECTL_HOME = mkdtempSync(join(tmpdir(), 'kv-bench-kubectl-'))
const CLK_TCK = 100

if (!existsSync(BUNDLE) || !existsSync(CLI))
  throw new Error('dist/index.js or dist/cli/index.js is missing: run `npm run bundle` first')
try {
  execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' })
} catch {
  throw new Error('kubectl is not on PATH: the benchmark compares with the real kubectl')
}

// ---------- processes ----------

interface Proc {
  child: ChildProcess
  startedAt: number
  /** When a line matching `doneWhen` appeared on stdout. */
  doneAt?: number
  exitedAt?: number
  peakRssKb: number
  cpuMs: number
  exited: Promise<void>
  /** Each stdout line with the moment it arrived. */
  lines: { at: number; text: string }[]
}

function procStats(pid: number): { rssKb: number; cpuMs: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    const cpu = ((Number(stat[11]) + Number(stat[12])) * 1000) / CLK_TCK
    return { rssKb: hwm, cpuMs: cpu }
  } catch {
    return undefined
  }
}

function launch(cmd: string, args: string[], env: Record<string, string>, doneWhen: RegExp): Proc {
  const child = spawn(cmd, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const p: Proc = {
    child,
    startedAt: Date.now(),
    peakRssKb: 0,
    cpuMs: 0,
    exited: Promise.resolve(),
    lines: []
  }
  let out = ''
  child.stdout!.on('data', (c: Buffer) => {
    const at = Date.now()
    const text = c.toString()
    const cut = out.lastIndexOf('\n') + 1
    for (const l of (out.slice(cut) + text).split('\n').slice(0, -1)) p.lines.push({ at, text: l })
    out += text
    if (p.doneAt === undefined && doneWhen.test(out)) p.doneAt = Date.now()
  })
  child.stderr!.on('data', () => undefined)
  const poll = setInterval(() => {
    const s = child.pid ? procStats(child.pid) : undefined
    if (s) {
      p.peakRssKb = Math.max(p.peakRssKb, s.rssKb)
      p.cpuMs = Math.max(p.cpuMs, s.cpuMs)
    }
  }, 10)
  p.exited = new Promise(r =>
    child.on('close', () => {
      clearInterval(poll)
      p.exitedAt = Date.now()
      r()
    })
  )
  return p
}

function actionEnv(inputs: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-bench-run-'))
  writeFileSync(join(dir, 'out'), '')
  writeFileSync(join(dir, 'summary'), '')
  const env: Record<string, string> = {
    HOME: dir,
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary')
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  return env
}

/** `KV_BENCH_NODE_ARGS='--trace-gc'` (or `--max-semi-space-size=1`, …): node flags for the action's runs, to see where memory goes. */
const NODE_ARGS = process.env.KV_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []
const runAction = (inputs: Record<string, string>): Proc =>
  launch(process.execPath, [...NODE_ARGS, BUNDLE], actionEnv(inputs), /^verdict: /m)
const runKubectl = (kubeconfig: string): Proc =>
  launch(
    'kubectl',
    ['--kubeconfig', kubeconfig, 'rollout', 'status', 'deployment/web', '-n', NS, '--timeout=120s'],
    { HOME: KUBECTL_HOME },
    /successfully rolled out/
  )

// ---------- statistics and tables ----------

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const fmtS = (ms: number): string => (ms / 1000).toFixed(3)
const spread = (xs: number[]): string => `${fmtS(Math.min(...xs))}–${fmtS(Math.max(...xs))}`
const kb = (b: number): string =>
  b < 1024 * 1024 ? `${(b / 1024).toFixed(1)} KB` : `${(b / 1024 / 1024).toFixed(2)} MB`

function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map(r => `| ${r.join(' | ')} |`)
  ].join('\n')
}

function breakdown(m: Map<string, RequestCount> | undefined): string {
  return [...(m ?? new Map<string, RequestCount>()).entries()]
    .filter(([k]) => k !== 'discovery')
    .sort()
    .map(([k, v]) => `${k} ${v.requests}`)
    .join(', ')
}

function totals(m: Map<string, RequestCount> | undefined, withDiscovery = false): RequestCount {
  let requests = 0
  let bytes = 0
  for (const [k, v] of m ?? []) {
    if (!withDiscovery && k === 'discovery') continue
    requests += v.requests
    bytes += v.bytes
  }
  return { requests, bytes }
}

// ---------- 1 and 2: latency after settle, API cost ----------

interface PairResult {
  kv: number
  kubectl: number
  kvCounts?: Map<string, RequestCount>
  kubectlCounts?: Map<string, RequestCount>
}

async function pair(
  make: () => Scenario,
  inputs: Record<string, string>,
  scale: number
): Promise<PairResult> {
  const pb = await play(make(), { scale, quiet: true })
  try {
    const kc = writeKubeconfig(pb.server, { namespace: NS })
    const kv = runAction({ ...inputs, timeout: '120s', kubeconfig: kubeconfigYaml(pb.server) })
    await pb.deployed
    const kubectl = runKubectl(kc)
    await Promise.all([kv.exited, kubectl.exited, pb.done])
    const settled = pb.settledAtMs!
    return {
      kv: kv.doneAt! - settled,
      kubectl: kubectl.doneAt! - settled,
      kvCounts: pb.server.byClient.get('kube-verdict'),
      kubectlCounts: pb.server.byClient.get('kubectl')
    }
  } finally {
    await pb.stop()
  }
}

const digestInputs = { workload: 'deployment/web', namespace: NS, 'expected-digest': `${REPO}@${NEW_DIGEST}` }

// Both rows replay the real control plane's recordings: the deploy is where kubectl starts, the rollout settles
// at the last write before the real verdict.
const SCENARIOS: { name: string; make: () => Scenario; inputs: Record<string, string>; scale: number }[] = [
  { name: 'rolling update, 3 replicas', make: () => rowScenario(ROLLS_OUT), inputs: digestInputs, scale: 1 },
  {
    name: "seeds' timeline (build pod, scale-up)",
    make: () => rowScenario(SEEDS),
    inputs: SEEDS.inputs,
    scale: 1
  }
]

// Warm kubectl's discovery cache once, as on any engineer's machine or a runner after its first call.
{
  const pb = await play(replay(ROLLS_OUT), { quiet: true })
  // Not execFileSync: the test cluster answers from this very event loop.
  await promisify(execFile)(
    'kubectl',
    ['--kubeconfig', writeKubeconfig(pb.server, { namespace: NS }), 'get', 'deploy'],
    { env: { PATH: process.env.PATH, HOME: KUBECTL_HOME } }
  )
  await pb.stop()
}

const out: string[] = []
const say = (s = ''): void => {
  out.push(s)
  console.log(s)
}

if (part('latency')) {
  say(
    `## 1. Latency after settle (seconds from the step that completes the rollout to the verdict; ${RUNS} runs each)`
  )
  say()
  const latencyRows: (string | number)[][] = []
  const costRows: (string | number)[][] = []
  for (const s of SCENARIOS) {
    const results: PairResult[] = []
    for (let i = 0; i < RUNS; i++) results.push(await pair(s.make, s.inputs, s.scale))
    const kv = results.map(r => r.kv)
    const kc = results.map(r => r.kubectl)
    latencyRows.push([
      s.name,
      fmtS(median(kv)),
      spread(kv),
      fmtS(median(kc)),
      spread(kc),
      (median(kv) / median(kc)).toFixed(2)
    ])
    const last = results[results.length - 1]!
    const a = totals(last.kvCounts)
    const b = totals(last.kubectlCounts)
    costRows.push([
      s.name,
      a.requests,
      kb(a.bytes),
      breakdown(last.kvCounts),
      b.requests,
      kb(b.bytes),
      breakdown(last.kubectlCounts),
      (a.requests / b.requests).toFixed(2)
    ])
  }
  say(table(['scenario', 'kube-verdict p50', 'spread', 'kubectl p50', 'spread', 'ratio'], latencyRows))
  say()
  say(
    "## 2. API cost per verification (requests and bytes served, from the test cluster's counters; kubectl with a warm discovery cache)"
  )
  say()
  say(
    table(
      [
        'scenario',
        'kube-verdict requests',
        'bytes',
        'by verb and resource',
        'kubectl requests',
        'bytes',
        'by verb and resource',
        'ratio'
      ],
      costRows
    )
  )
  say()
}

// Requests per minute while a pod waits for capacity: the real seeds' recording from its deploy on, its new pod's
// wait for the autoscaler's node stretched to `stallS` seconds (a pure edit in time), the autoscaler's answer in
// the middle of it.
if (part('stall')) {
  const stallS = SMOKE ? 5 : 30
  // The autoscaler answers in the middle of the stall: how soon its words reach kube-verdict's report.
  const answerS = Math.round(stallS / 2)
  const pod = firstPod(SEEDS, V2).name
  const t = stalled(SEEDS, pod, stallS, answerS)
  const m = stallMoments(t, pod)
  const s = replay(t)
  // When the answer and the binding were written, on this process's clock.
  const at: { answered?: number; bound?: number } = {}
  for (const step of s.steps) {
    const key = step.at === m.answered ? 'answered' : step.at === m.bound ? 'bound' : undefined
    if (!key) continue
    const run = step.run
    step.run = w => {
      run(w)
      at[key] = Date.now()
    }
  }
  const pb = await play(s, { quiet: true })
  const kv = runAction({ ...digestInputs, timeout: '120s', kubeconfig: kubeconfigYaml(pb.server) })
  const kubectl = runKubectl(writeKubeconfig(pb.server, { namespace: NS }))
  // The window opens once kube-verdict has first read the stalled pod's events (2 s after it saw it unready) and
  // closes when the node has joined and the pod is bound.
  const copy = (m?: Map<string, RequestCount>): Map<string, RequestCount> =>
    new Map([...(m ?? [])].map(([k, v]) => [k, { ...v }]))
  for (let i = 0; i < 100 && !pb.server.byClient.get('kube-verdict')?.has('list events'); i++)
    await new Promise(r => setTimeout(r, 50))
  await new Promise(r => setTimeout(r, 200))
  const opened = Date.now()
  const kvBefore = copy(pb.server.byClient.get('kube-verdict'))
  const before = { kv: totals(kvBefore).requests, kc: totals(pb.server.byClient.get('kubectl')).requests }
  while (at.bound === undefined) await new Promise(r => setTimeout(r, 5))
  const kvAfter = copy(pb.server.byClient.get('kube-verdict'))
  const after = { kv: totals(kvAfter).requests, kc: totals(pb.server.byClient.get('kubectl')).requests }
  const windowS = (Date.now() - opened) / 1000
  // What kube-verdict asked for during the stall, by verb and resource.
  const during = new Map(
    [...kvAfter]
      .map(([k, v]): [string, RequestCount] => [
        k,
        { requests: v.requests - (kvBefore.get(k)?.requests ?? 0), bytes: 0 }
      ])
      .filter(([, v]) => v.requests > 0)
  )
  await Promise.all([kv.exited, kubectl.exited, pb.done])
  await pb.stop()
  const heard = kv.lines.find(l => /autoscaler/.test(l.text) && !/verdict:/.test(l.text))
  const perMin = (n: number): string => ((n * 60) / windowS).toFixed(1)
  say(
    `Requests per minute during a ${stallS} s scheduling stall (the real seeds' recording, its new pod's wait for the autoscaler's node stretched; counted over the ${windowS.toFixed(1)} s from kube-verdict's first read of the pod's events to the binding): kube-verdict ${perMin(after.kv - before.kv)}${during.size ? ` (${breakdown(during)})` : ''}, kubectl ${perMin(after.kc - before.kc)}. The autoscaler's answer, written ${answerS} s in, was in kube-verdict's report ${heard && at.answered !== undefined ? `${fmtS(heard.at - at.answered)} s later` : 'never'}.`
  )
  say()
}

// ---------- 3: cold start ----------
// Each tool against the same idle cluster, one after the other, in every run. The floor is Node itself: a script
// that sends one HTTPS request with nothing loaded but node:https.
const FLOOR_SCRIPT = `require('node:https').get(process.env.KV_URL, { rejectUnauthorized: false }, r => {
  r.resume()
  r.on('end', () => process.exit())
})`
// A start is a fraction of a second and the machines are noisy: more runs than the other sections.
const COLD_RUNS = SMOKE ? 1 : 11
if (part('cold')) {
  const tools: { name: string; start: (pb: Awaited<ReturnType<typeof play>>) => Proc }[] = [
    {
      name: 'node, an empty script sending one request (the floor)',
      start: pb =>
        launch(
          process.execPath,
          ['-e', FLOOR_SCRIPT],
          { KV_URL: `${pb.server.url}/api/v1/namespaces/${NS}/pods` },
          /$^/
        )
    },
    {
      name: 'kube-verdict action (node dist/index.js)',
      start: pb =>
        runAction({
          workload: 'deployment/web',
          namespace: NS,
          timeout: '30s',
          kubeconfig: kubeconfigYaml(pb.server)
        })
    },
    {
      name: 'kube-verdict CLI (node dist/cli/index.js)',
      start: pb =>
        launch(
          process.execPath,
          [CLI, 'deployment/web', '-n', NS, '--timeout', '30s', '--kubeconfig', writeKubeconfig(pb.server)],
          { HOME: KUBECTL_HOME },
          /^success/m
        )
    },
    { name: 'kubectl rollout status', start: pb => runKubectl(writeKubeconfig(pb.server, { namespace: NS })) }
  ]
  const starts = tools.map(() => [] as number[])
  const rss = tools.map(() => [] as number[])
  for (let i = 0; i < COLD_RUNS; i++) {
    const pb = await play(
      // web serving 1.4.1 before the recorded deploy.
      replay(until(ROLLS_OUT, -0.1)),
      { quiet: true }
    )
    for (const [t, tool] of tools.entries()) {
      pb.server.resetCounts()
      const t0 = Date.now()
      const p = tool.start(pb)
      await p.exited
      const first = [...pb.server.firstRequestAt.values()][0]
      if (first === undefined) throw new Error(`${tool.name} sent no request`)
      starts[t]!.push(first - t0)
      rss[t]!.push(p.peakRssKb / 1024)
    }
    await pb.stop()
  }
  say(`## 3. Cold start (process start to first API request; ${COLD_RUNS} runs each)`)
  say()
  say(
    table(
      ['process', 'p50 s', 'spread s', 'peak RSS (whole run)'],
      tools.map((tool, t) => [
        tool.name,
        fmtS(median(starts[t]!)),
        spread(starts[t]!),
        `${median(rss[t]!).toFixed(0)} MB`
      ])
    )
  )
  say()
  say(`Bundles: dist/index.js ${kb(statSync(BUNDLE).size)}, dist/cli/index.js ${kb(statSync(CLI).size)}.`)
  say()
}

// ---------- 4: scale ----------
// On the real control plane: the real Deployment and ReplicaSet controllers and scheduler roll out the replicas,
// the world's simulated kubelets run them; the noisy row's namespace also holds pods no scheduler serves (Pending)
// and events about them, created by the bench through the API before the deploy.
if (part('scale')) {
  const { realCluster } = await import('../testcluster/real/harness.js')
  const { kubeconfigFor } = await import('../testcluster/real/controlplane.js')
  const { deployment, registryBasics, webContainer } = await import('../testcluster/stories/real.js')
  const { V1 } = await import('../testcluster/stories/images.js')
  const replicas = SMOKE ? 100 : 1000
  const noisePods = SMOKE ? 1000 : 10_000
  const noiseEvents = SMOKE ? 5000 : 50_000
  // Room for both rows' pods at once, surge included: the clean row's pods stay (no namespace deletion running
  // beside the noisy row); the cluster goes at the end.
  const nodes = [1, 2, 3, 4].map(i => ({ name: `node-${i}`, cpu: '128', memory: '512Gi', pods: 1500 }))
  const c = await realCluster({ nodes })
  const rows: (string | number)[][] = []
  const seconds: string[] = []
  try {
    registryBasics(c.world)
    for (const noisy of [false, true]) {
      const ns = `bench-scale-${noisy ? 'noisy' : 'clean'}`
      const t0 = Date.now()
      await c.cp.namespace(ns)
      const token = await c.cp.deployerToken({ namespace: ns })
      await c.world.apply(deployment(ns, 'web', [webContainer(V1)], { replicas }))
      await c.world.until(`${replicas} replicas of 1.4.1`, () => rolledOut(ns, V1), 20 * 60_000)
      const servedS = (Date.now() - t0) / 1000
      if (noisy) await addNoise(c.world.api, ns, noisePods, noiseEvents)
      const noiseS = (Date.now() - t0) / 1000 - servedS
      const proxy = await new FaultProxy(c.cp).start()
      const kubeconfig = kubeconfigFor(proxy.url, c.cp.caPem, token)
      const kc = join(KUBECTL_HOME, `kubeconfig-${ns}`)
      writeFileSync(kc, kubeconfig, { mode: 0o600 })
      // Warm kubectl's discovery cache for this server (as on a runner after its first call).
      await promisify(execFile)('kubectl', ['--kubeconfig', kc, 'get', 'deploy', '-n', ns], {
        env: { PATH: process.env.PATH, HOME: KUBECTL_HOME }
      })
      proxy.byRequest.clear()
      const t1 = Date.now()
      await c.world.apply(deployment(ns, 'web', [webContainer(V2)], { replicas }))
      const kv = runAction({ ...digestInputs, namespace: ns, timeout: '20m', kubeconfig })
      const kubectl = launch(
        'kubectl',
        ['--kubeconfig', kc, 'rollout', 'status', 'deployment/web', '-n', ns, '--timeout=20m'],
        { HOME: KUBECTL_HOME },
        /successfully rolled out/
      )
      await Promise.all([kv.exited, kubectl.exited])
      const rolloutS = (Date.now() - t1) / 1000
      await proxy.stop()
      const verdict = kv.lines.find(l => l.text.startsWith('verdict: '))?.text ?? 'no verdict'
      if (!verdict.startsWith('verdict: success')) throw new Error(`scale, ${ns}: ${verdict}`)
      const kvCounts = proxy.byRequest.get('kube-verdict')
      const a = totals(kvCounts)
      const b = totals(proxy.byRequest.get('kubectl'))
      const evaluation = await evaluationCpu(kubeconfigFor(c.cp.url, c.cp.caPem, token), ns, 'web', {
        digest: NEW_DIGEST,
        repository: REPO
      })
      rows.push([
        noisy
          ? `+ ${noisePods.toLocaleString('en')} unrelated pods, ${noiseEvents.toLocaleString('en')} events`
          : `${replicas} replicas, clean namespace`,
        `${a.requests} (${breakdown(kvCounts)})`,
        kb(a.bytes),
        b.requests,
        kb(b.bytes),
        `${(kv.peakRssKb / 1024).toFixed(0)} MB`,
        `${kv.cpuMs.toFixed(0)} ms`,
        `${evaluation.ms.toFixed(1)} ms (${evaluation.pods} pods)`
      ])
      seconds.push(
        `${noisy ? 'noisy' : 'clean'}: ${servedS.toFixed(0)} s to serve 1.4.1${noisy ? `, ${noiseS.toFixed(0)} s to create the unrelated objects` : ''}, ${rolloutS.toFixed(0)} s for the rollout to 1.4.2`
      )
    }
  } finally {
    await c.stop()
  }

  /** kubectl's rule on the Deployment, with every replica on `image`. */
  async function rolledOut(ns: string, image: string): Promise<boolean> {
    const d = await c.world.api.get(`/apis/apps/v1/namespaces/${ns}/deployments/web`)
    return d.spec.template.spec.containers[0].image === image && isRolledOut(d)
  }

  say(
    `## 4. Scale (${replicas}-replica Deployment on the real control plane, kube-apiserver ${(await import('../testcluster/real/build.js')).kubernetesVersion()})`
  )
  say()
  say(
    table(
      [
        'namespace',
        'kube-verdict requests',
        'bytes',
        'kubectl requests',
        'bytes',
        'kube-verdict peak RSS',
        'process CPU',
        'CPU per evaluation'
      ],
      rows
    )
  )
  say()
  say(`Wall-clock on this machine: ${seconds.join('; ')}.`)
  say()
}

// On the real control plane: the real Deployment controller decides when the rollout is complete, and a counting
// proxy in front of the real apiserver measures what each tool asked for.
if (part('real')) {
  const { realCluster, cleanup } = await import('../testcluster/real/harness.js')
  const { kubeconfigFor } = await import('../testcluster/real/controlplane.js')
  const { deployment, serving, webContainer } = await import('../testcluster/stories/real.js')
  const { realStories } = await import('../testcluster/stories/index.js')
  const { V2 } = await import('../testcluster/stories/images.js')
  const { isRolledOut } = await import('../testcluster/real/world.js')
  type Ns = { app: string; build: string }
  interface RealCase {
    name: string
    /** The cluster before the deploy step. */
    setup: (ns: Ns) => Promise<void>
    /** The deploy step; resolves once applied. The action starts after it, or before it with `actionFirst`. */
    deploy: (ns: Ns) => Promise<void>
    actionFirst?: boolean
    inputs: (ns: Ns) => Record<string, string>
    /** Its namespaces stay to the end (the seeds' pod keeps its node full, so each run waits for a new one). */
    keep?: boolean
    /** The build pod's label selector: settled is also not before it has ended (pushed). */
    build?: string
  }
  const rolling = (replicas: number): RealCase => ({
    name: `rolling update, ${replicas} replicas`,
    setup: ns => serving(c.world, ns, { replicas }),
    deploy: async ns =>
      void (await c.world.apply(deployment(ns.app, 'web', [webContainer(V2)], { replicas }))),
    inputs: ns => ({ ...digestInputs, namespace: ns.app })
  })
  // The real stories' seeds timeline: the build pushes late, then the deploy asks for more memory than any node
  // has free and waits for the autoscaler's new node. kubectl starts once the deploy is applied.
  const story = realStories().find(x => x.name.includes("the seeds' timeline"))!
  const seeds: RealCase = {
    name: "seeds' timeline (build pod, scale-up)",
    setup: ns => story.setup(c.world, ns),
    deploy: ns => story.then!(c.world, ns),
    actionFirst: true,
    inputs: ns => story.inputs(ns),
    keep: true,
    build: 'job-name=build-42'
  }
  const cases = SMOKE ? [rolling(3)] : [seeds, rolling(3), rolling(10), rolling(100)]
  // The general pool may grow by one node per seeds run.
  const c = await realCluster({
    nodeGroups: [
      {
        name: 'general-pool',
        max: 12,
        provisionSeconds: 1,
        template: { cpu: '4', memory: '16Gi', labels: { pool: 'general' } }
      }
    ]
  })
  const rows = new Map<RealCase, (string | number)[]>()
  const costRows = new Map<RealCase, (string | number)[]>()
  try {
    let n = 0
    for (const k of cases) {
      const kvLat: number[] = []
      const kcLat: number[] = []
      let last: Map<string, { requests: number; bytes: number }> | undefined
      for (let i = 0; i < RUNS; i++) {
        const ns = { app: `bench-${++n}`, build: `bench-ci-${n}` }
        const r = await realRun(k, ns)
        kvLat.push(r.kv)
        kcLat.push(r.kubectl)
        last = r.counts
        if (!k.keep) await cleanup(c, ns)
      }
      rows.set(k, [k.name, fmtS(median(kvLat)), spread(kvLat), fmtS(median(kcLat)), spread(kcLat)])
      const a = last?.get('kube-verdict') ?? { requests: 0, bytes: 0 }
      const b = last?.get('kubectl') ?? { requests: 0, bytes: 0 }
      costRows.set(k, [
        k.name,
        a.requests,
        kb(a.bytes),
        b.requests,
        kb(b.bytes),
        (a.requests / b.requests).toFixed(2)
      ])
    }
  } finally {
    await c.stop()
  }
  // Rolling updates first, as in the other sections.
  const order = [...cases.filter(k => k !== seeds), ...cases.filter(k => k === seeds)]

  /** One verification by each tool through a counting proxy; latency from the completed status, seen on a watch. */
  async function realRun(
    k: RealCase,
    ns: Ns
  ): Promise<{ kv: number; kubectl: number; counts: Map<string, { requests: number; bytes: number }> }> {
    await c.cp.namespace(ns.app)
    await c.cp.namespace(ns.build)
    const token = await c.cp.deployerToken({ namespace: ns.app, buildNamespace: ns.build })
    await k.setup(ns)
    const proxy = await new FaultProxy(c.cp).start()
    const kc = join(KUBECTL_HOME, `kubeconfig-${ns.app}`)
    writeFileSync(kc, kubeconfigFor(proxy.url, c.cp.caPem, token), { mode: 0o600 })
    // Warm kubectl's discovery cache for this server (as on a runner after its first call).
    await promisify(execFile)('kubectl', ['--kubeconfig', kc, 'get', 'deploy', '-n', ns.app], {
      env: { PATH: process.env.PATH, HOME: KUBECTL_HOME }
    })
    proxy.byClient.clear()
    // The moment the controller writes the completed status of the new template, seen on a watch (not a poll);
    // with a build, not before the build pod has ended: until then kube-verdict waits for the push.
    let rolledOut: number | undefined
    let built: number | undefined = k.build ? undefined : 0
    const watch = c.world.api.watch(
      `/apis/apps/v1/namespaces/${ns.app}/deployments?fieldSelector=metadata.name%3Dweb`,
      e => {
        const d = e.object
        const image = (d.spec?.template?.spec?.containers as { image?: string }[] | undefined)?.[0]?.image
        if (rolledOut === undefined && image === V2 && isRolledOut(d)) rolledOut = Date.now()
      },
      () => undefined
    )
    const buildWatch = k.build
      ? c.world.api.watch(
          `/api/v1/namespaces/${ns.build}/pods?labelSelector=${encodeURIComponent(k.build)}`,
          e => {
            const phase = (e.object.status as { phase?: string } | undefined)?.phase
            if (built === undefined && (phase === 'Succeeded' || phase === 'Failed')) built = Date.now()
          },
          () => undefined
        )
      : undefined
    const action = (): Proc =>
      runAction({
        ...k.inputs(ns),
        timeout: '120s',
        kubeconfig: kubeconfigFor(proxy.url, c.cp.caPem, token)
      })
    let kv: Proc | undefined
    if (k.actionFirst) kv = action()
    await k.deploy(ns)
    kv ??= action()
    const kubectl = launch(
      'kubectl',
      ['--kubeconfig', kc, 'rollout', 'status', 'deployment/web', '-n', ns.app, '--timeout=120s'],
      { HOME: KUBECTL_HOME },
      /successfully rolled out/
    )
    await Promise.all([kv.exited, kubectl.exited])
    watch.stop()
    buildWatch?.stop()
    await proxy.stop()
    const settled = rolledOut === undefined || built === undefined ? undefined : Math.max(rolledOut, built)
    if (settled === undefined || kv.doneAt === undefined || kubectl.doneAt === undefined)
      throw new Error(`${k.name}: no verdict, no rollout, or kubectl did not finish`)
    return { kv: kv.doneAt - settled, kubectl: kubectl.doneAt - settled, counts: new Map(proxy.byClient) }
  }

  say(
    `## 5. On the real control plane (kube-apiserver ${(await import('../testcluster/real/build.js')).kubernetesVersion()}; ${RUNS} runs each)`
  )
  say()
  say(
    "Latency after settle: from the moment the real Deployment controller writes the completed status (seen on a watch) to the verdict line. In the seeds' timeline, from that or the build pod's end, whichever is later: the pipeline deploys once the build has pushed 1.4.2 (the registry lacks it before), and the new pod then waits for the autoscaler's node, so the rollout completes after the build pod has ended."
  )
  say()
  say(
    table(
      ['scenario', 'kube-verdict p50', 'spread', 'kubectl p50', 'spread'],
      order.map(k => rows.get(k)!)
    )
  )
  say()
  say(
    'API cost per verification through a counting proxy (all requests, discovery included; kubectl with a warm discovery cache):'
  )
  say()
  say(
    table(
      ['scenario', 'kube-verdict requests', 'bytes', 'kubectl requests', 'bytes', 'ratio'],
      order.map(k => costRows.get(k)!)
    )
  )
  say()
}

// Several clusters in one step: three real control planes at once, a 3-replica rolling update on each. kube-verdict
// verifies all three in one process (`context: a, b, c`); kubectl needs three `rollout status` runs, one after the
// other as a workflow would write them. Each cluster has its own counting proxy.
if (part('clusters')) {
  const { realCluster } = await import('../testcluster/real/harness.js')
  const { kubeconfigForClusters } = await import('../testcluster/real/controlplane.js')
  const { deployment, serving, webContainer } = await import('../testcluster/stories/real.js')
  const { V2 } = await import('../testcluster/stories/images.js')
  const { isRolledOut } = await import('../testcluster/real/world.js')
  const names = ['staging', 'prod-eu', 'prod-us']
  const clusters = []
  for (const _ of names) clusters.push(await realCluster({ crashBackoff: 0.5 }))
  const cpRssMb = clusters.map(c => Math.round(c.cp.rssKb() / 1024))
  const lat = { kv: [] as number[], kubectl: [] as number[] }
  const rss = { one: [] as number[], three: [] as number[] }
  let cost = { kv: { requests: 0, bytes: 0 }, kubectl: { requests: 0, bytes: 0 } }
  try {
    for (let i = 0; i < RUNS; i++) {
      const ns = { app: `fleet-${i}`, build: `fleet-ci-${i}` }
      const proxies: FaultProxy[] = []
      const entries = []
      const settled: (number | undefined)[] = []
      const watches = []
      for (const [j, c] of clusters.entries()) {
        await c.cp.namespace(ns.app)
        const token = await c.cp.deployerToken({ namespace: ns.app })
        await serving(c.world, ns, { replicas: 3 })
        const proxy = await new FaultProxy(c.cp).start()
        proxies.push(proxy)
        entries.push({ context: names[j]!, server: proxy.url, caPem: c.cp.caPem, token })
        watches.push(
          c.world.api.watch(
            `/apis/apps/v1/namespaces/${ns.app}/deployments?fieldSelector=metadata.name%3Dweb`,
            e => {
              const image = (
                e.object.spec?.template?.spec?.containers as { image?: string }[] | undefined
              )?.[0]?.image
              if (settled[j] === undefined && image === V2 && isRolledOut(e.object)) settled[j] = Date.now()
            },
            () => undefined
          )
        )
      }
      const kubeconfig = kubeconfigForClusters(entries)
      const kc = join(KUBECTL_HOME, `kubeconfig-${ns.app}`)
      writeFileSync(kc, kubeconfig, { mode: 0o600 })
      for (const n of names)
        await promisify(execFile)(
          'kubectl',
          ['--kubeconfig', kc, '--context', n, 'get', 'deploy', '-n', ns.app],
          {
            env: { PATH: process.env.PATH, HOME: KUBECTL_HOME }
          }
        )
      for (const p of proxies) p.byClient.clear()
      const inputs = { ...digestInputs, namespace: ns.app, timeout: '120s', kubeconfig }
      const kv = runAction({ ...inputs, context: names.join(', ') })
      for (const c of clusters)
        await c.world.apply(deployment(ns.app, 'web', [webContainer(V2)], { replicas: 3 }))
      let kubectlDone = 0
      for (const n of names) {
        const k = launch(
          'kubectl',
          [
            '--kubeconfig',
            kc,
            '--context',
            n,
            'rollout',
            'status',
            'deployment/web',
            '-n',
            ns.app,
            '--timeout=120s'
          ],
          { HOME: KUBECTL_HOME },
          /successfully rolled out/
        )
        // The next run starts once this one has said "successfully rolled out" (through the counting proxy an
        // exiting kubectl may wait a minute on its closed watch; a workflow's next command would not).
        while (k.doneAt === undefined && k.exitedAt === undefined) await new Promise(r => setTimeout(r, 5))
        k.child.kill()
        kubectlDone = k.doneAt ?? NaN
      }
      await kv.exited
      for (const w of watches) w.stop()
      const last = Math.max(...settled.map(s => s ?? NaN))
      if (Number.isNaN(last) || kv.doneAt === undefined || Number.isNaN(kubectlDone))
        throw new Error('several clusters: no verdict, no rollout, or kubectl did not finish')
      lat.kv.push(kv.doneAt - last)
      lat.kubectl.push(kubectlDone - last)
      rss.three.push(kv.peakRssKb)
      const sum = (who: string): { requests: number; bytes: number } =>
        proxies.reduce(
          (t, p) => {
            const c = p.byClient.get(who) ?? { requests: 0, bytes: 0 }
            return { requests: t.requests + c.requests, bytes: t.bytes + c.bytes }
          },
          { requests: 0, bytes: 0 }
        )
      cost = { kv: sum('kube-verdict'), kubectl: sum('kubectl') }
      // The same verification of one cluster alone, for the memory that each more cluster adds.
      const one = runAction({ ...inputs, context: names[0]! })
      await one.exited
      rss.one.push(one.peakRssKb)
      for (const p of proxies) await p.stop()
      for (const c of clusters) await c.cp.admin.delete(`/api/v1/namespaces/${ns.app}`)
    }
  } finally {
    for (const c of clusters) await c.stop()
  }
  const mb = (kbs: number[]): string => `${(median(kbs) / 1024).toFixed(0)} MB`
  say(`## 6. Several clusters in one step (three real control planes; ${RUNS} run${RUNS === 1 ? '' : 's'})`)
  say()
  say(
    'A 3-replica rolling update on each of three clusters. kube-verdict verifies the three in one step (`context: staging, prod-eu, prod-us`); kubectl needs three `rollout status` runs, one after the other. Latency after the last cluster settles: from the moment the last of the three Deployment controllers writes the completed status to the verdict line (kubectl: to the third run\'s "successfully rolled out").'
  )
  say()
  say(
    table(
      ['tool', 'latency p50', 'spread', 'requests', 'bytes', 'peak RSS'],
      [
        [
          'kube-verdict, 3 contexts in one step',
          fmtS(median(lat.kv)),
          spread(lat.kv),
          cost.kv.requests,
          kb(cost.kv.bytes),
          mb(rss.three)
        ],
        [
          'kubectl rollout status × 3, sequential',
          fmtS(median(lat.kubectl)),
          spread(lat.kubectl),
          cost.kubectl.requests,
          kb(cost.kubectl.bytes),
          '—'
        ],
        ['kube-verdict, 1 context (same rollout)', '—', '—', '—', '—', mb(rss.one)]
      ]
    )
  )
  say()
  say(
    `The three control planes held ${cpRssMb.join(', ')} MB resident each (kube-apiserver, etcd, controllers, scheduler).`
  )
  say()
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, kubectl ${/v[\d.]+/.exec(execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8' }))?.[0] ?? '?'}`
say(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}${SMOKE ? ' (smoke run: 1 run each, small scale)' : ''}.`
)

if (WRITE) {
  const file = 'BENCHMARKS.md'
  const text = readFileSync(file, 'utf8')
  const start = text.indexOf('<!-- bench:start -->')
  const end = text.indexOf('<!-- bench:end -->')
  if (start < 0 || end < 0) throw new Error('BENCHMARKS.md lacks the bench:start/bench:end markers')
  writeFileSync(
    file,
    text.slice(0, start) + '<!-- bench:start -->\n\n' + out.join('\n') + '\n\n' + text.slice(end)
  )
  console.log(`\nwrote ${file}`)
}
