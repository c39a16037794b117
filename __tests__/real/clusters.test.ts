// Several clusters in one step: three real control planes at once (one kubeconfig, three contexts), each with its
// own kube-apiserver, controllers, scheduler and machines. The bundle verifies all three under one deadline, as
// the runner runs it: the worst verdict for the step, `cluster-verdicts` for each, and a cluster that cannot be
// read (refused credentials, a stopped control plane) is unreachable alone while the others are verified.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { kubeconfigForClusters } from '../../testcluster/real/controlplane.js'
import { realCluster, slug, type RealCluster } from '../../testcluster/real/harness.js'
import { V2, NEW_DIGEST, REPO } from '../../testcluster/stories/images.js'
import type { StoryNs } from '../../testcluster/stories/story.js'
import { deploy, serving } from '../../testcluster/stories/real.js'
import { runAction, type ActionRun } from '../../testcluster/run-action.js'

const CONTEXTS = ['staging', 'prod-eu', 'prod-us'] as const
type Context = (typeof CONTEXTS)[number]
let clusters: RealCluster[] = []
const stopped = new Set<RealCluster>()

beforeAll(async () => {
  // One after another: three control planes starting at once on two cores would only slow each other.
  for (const _ of CONTEXTS) clusters.push(await realCluster({ crashBackoff: 0.5 }))
  // What three control planes cost this machine (for the note): KV_DEBUG=1 prints it.
  if (process.env.KV_DEBUG)
    console.log(`control planes' RSS (MB): ${clusters.map(c => Math.round(c.cp.rssKb() / 1024)).join(', ')}`)
}, 360_000)

afterAll(async () => {
  await Promise.all(clusters.filter(c => !stopped.has(c)).map(c => c.stop()))
  clusters = []
})

interface Fleet {
  run: ActionRun
  clusterVerdicts: Record<string, string>
  verdicts: Record<string, string>
  reports: { context: string; verdict: string; reason: string; elapsedSeconds: number }[]
}

interface Setup {
  ns: StoryNs
  kubeconfig: string
  done: () => Promise<void>
}

/**
 * web 1.4.1 serving in the same namespace on every cluster, then 1.4.2 deployed everywhere; `crashing` clusters'
 * registry serves a 1.4.2 that exits; `unbound` gets a token no Role binds; `stopped` points at a stopped one.
 */
async function setup(o: { crashing?: Context[]; unbound?: Context; stopped?: Context } = {}): Promise<Setup> {
  const id = slug('fleet')
  const ns: StoryNs = { app: id, build: `${id}-ci` }
  const entries = []
  for (const [i, context] of CONTEXTS.entries()) {
    const c = clusters[i]!
    if (context === o.stopped) {
      entries.push({ context, server: c.cp.url, caPem: c.cp.caPem, token: 'stopped' })
      continue
    }
    await c.cp.namespace(ns.app)
    await serving(c.world, ns)
    if (o.crashing?.includes(context))
      c.world.registry.set(
        V2,
        { program: { kind: 'exit', code: 3, after: 0.3, log: [`panic: ${context} has no DB_URL`] } },
        ns.app
      )
    await deploy(c.world, ns)
    const token =
      context === o.unbound ? await unboundToken(c, ns.app) : await c.cp.deployerToken({ namespace: ns.app })
    entries.push({ context, server: c.cp.url, caPem: c.cp.caPem, token })
  }
  return {
    ns,
    kubeconfig: kubeconfigForClusters(entries),
    done: async () => {
      for (const [i, context] of CONTEXTS.entries())
        if (context !== o.stopped) await clusters[i]!.cp.admin.delete(`/api/v1/namespaces/${ns.app}`)
    }
  }
}

async function fleet(o: Parameters<typeof setup>[0] = {}): Promise<Fleet> {
  const { ns, kubeconfig, done } = await setup(o)
  const run = await runAction({
    workload: 'deployment/web',
    namespace: ns.app,
    context: CONTEXTS.join(', '),
    'expected-digest': `${REPO}@${NEW_DIGEST}`,
    timeout: '40s',
    kubeconfig
  })
  await done()
  const report = JSON.parse(run.outputs.report ?? '{}') as { clusters?: Fleet['reports'] }
  return {
    run,
    clusterVerdicts: JSON.parse(run.outputs['cluster-verdicts'] ?? '{}') as Record<string, string>,
    verdicts: JSON.parse(run.outputs.verdicts ?? '{}') as Record<string, string>,
    reports: report.clusters ?? []
  }
}

/** The CLI's bundle, in a pseudo-terminal when `tty` (as a person's shell runs it). */
function cli(args: string[], kubeconfig: string, tty: boolean): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-cli-'))
  writeFileSync(join(dir, 'config'), kubeconfig)
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    KUBECONFIG: join(dir, 'config'),
    TERM: 'xterm-256color'
  }
  const entry = resolve('dist/cli/index.js')
  const quoted = [process.execPath, entry, ...args].map(a => `'${a}'`).join(' ')
  const [cmd, argv] = tty
    ? ['script', ['-qefc', `stty cols 120; ${quoted}`, '/dev/null']]
    : [process.execPath, [entry, ...args]]
  return new Promise(r => {
    const p = spawn(cmd as string, argv as string[], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (b: Buffer) => (out += b.toString()))
    p.stderr.on('data', (b: Buffer) => (out += b.toString()))
    p.on('close', code => r({ code: code ?? -1, out }))
  })
}

/** A ServiceAccount's token in a namespace where no Role binds it: every read is refused (403). */
async function unboundToken(c: RealCluster, ns: string): Promise<string> {
  await c.cp.admin.create(`/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'nobody' } })
  const tr = await c.cp.admin.create(`/api/v1/namespaces/${ns}/serviceaccounts/nobody/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 }
  })
  return tr.status.token as string
}

function expectClean(run: ActionRun): void {
  expect(run.stdout + run.stderr).not.toMatch(/dist\/index\.js:\d+|node:internal\/|triggerUncaughtException/)
}

test('three clusters roll out: success, each in cluster-verdicts, verdicts keyed CONTEXT/KIND/NAME', async () => {
  const f = await fleet()
  expectClean(f.run)
  expect(`${f.run.outputs.verdict}: ${f.run.outputs.reason}`).toBe(
    'success: all 3 clusters rolled out: staging, prod-eu, prod-us'
  )
  expect(f.clusterVerdicts).toEqual({ staging: 'success', 'prod-eu': 'success', 'prod-us': 'success' })
  expect(f.verdicts).toEqual({
    'staging/deployment/web': 'success',
    'prod-eu/deployment/web': 'success',
    'prod-us/deployment/web': 'success'
  })
  expect(f.run.outputs['built-digest']).toBe(NEW_DIGEST)
  expect(f.run.outputs['ready-replicas']).toBe('3')
  expect(f.run.summary).toMatch(/^## ✅ kube-verdict: `success` — 3 clusters/)
  expect(f.run.summary).toMatch(/\| cluster \| `deployment\/web` \|/)
  expect(f.run.summary).toMatch(/\| `prod-eu` \| ✅ `success` \|/)
  // Each cluster's start line names its context.
  for (const c of CONTEXTS) expect(f.run.stdout).toContain(`(context ${c})`)
  expect(f.run.exitCode).toBe(0)
}, 240_000)

test('one cluster crash-loops: the step says crash-loop, the other two success, the finding names the cluster', async () => {
  const f = await fleet({ crashing: ['prod-eu'] })
  expectClean(f.run)
  expect(f.run.outputs.verdict).toBe('crash-loop')
  expect(f.run.outputs.reason).toMatch(/^1 of 3 clusters did not roll out \(prod-eu crash-loop\); prod-eu: /)
  expect(f.clusterVerdicts).toEqual({ staging: 'success', 'prod-eu': 'crash-loop', 'prod-us': 'success' })
  expect(f.run.summary).toMatch(/\| `prod-eu` \| ❌ `crash-loop`: /)
  expect(f.run.summary).toMatch(/^### ❌ `prod-eu`: `crash-loop`/m)
  expect(f.run.summary).toContain('panic: prod-eu has no DB_URL')
  // The annotation that names the crash names the cluster.
  expect(f.run.stdout).toMatch(/::error title=crash-loop%3A deployment\/web -n \S+ on prod-eu pod\//)
  expect(f.run.stdout).toMatch(/next step: On prod-eu — /)
  // The crash ends the step early, well before the deadline.
  expect(Number(f.run.outputs['elapsed-seconds'])).toBeLessThan(20)
  expect(f.run.exitCode).toBe(1)
}, 240_000)

test('a context whose token no Role binds is unreachable alone; the others are verified', async () => {
  const f = await fleet({ unbound: 'prod-us' })
  expectClean(f.run)
  expect(f.run.outputs.verdict).toBe('unreachable')
  expect(f.clusterVerdicts).toEqual({ staging: 'success', 'prod-eu': 'success', 'prod-us': 'unreachable' })
  const us = f.reports.find(r => r.context === 'prod-us')!
  expect(us.reason).toMatch(/forbidden|403|not allowed|cannot/i)
  expect(f.run.summary).toMatch(/\| `prod-us` \| 🔌 `unreachable`: /)
  expect(f.run.exitCode).toBe(1)
}, 240_000)

test('the CLI: --context three times; one live line per cluster at a terminal, the clusters in the verdict', async () => {
  const { ns, kubeconfig, done } = await setup({ crashing: ['prod-us'] })
  const args = ['deployment/web', '-n', ns.app, '--digest', `${REPO}@${NEW_DIGEST}`, '--timeout', '40s']
  const contexts = CONTEXTS.flatMap(c => ['--context', c])
  const tty = await cli([...args, ...contexts], kubeconfig, true)
  const plain = await cli([...args, '--context', '*'], kubeconfig, false)
  await done()
  if (process.env.KV_DEBUG) console.log(`${tty.out}\n${plain.out}`)
  expect(tty.code).toBe(1)
  // Live lines: each context's line is drawn; the block is redrawn in place (cursor up over the lines).
  for (const c of CONTEXTS) expect(tty.out).toMatch(new RegExp(`⏳ +[\\d.]+s  ${c} +`))
  expect(tty.out).toContain('\u001b[2A')
  expect(tty.out).toMatch(/crash-loop.*deployment\/web -n \S+ on 3 clusters/)
  expect(tty.out).toMatch(/staging +.*success/)
  expect(tty.out).toContain('── prod-us ──')
  expect(tty.out).toContain('panic: prod-us has no DB_URL')
  // Without a terminal: plain lines, each led by its context; `*` is every context of the kubeconfig.
  expect(plain.code).toBe(1)
  for (const c of CONTEXTS) expect(plain.out).toContain(`(context ${c})`)
  expect(plain.out).toMatch(/\] crash-loop: prod-us: pod\//)
  expect(plain.out).toMatch(/^crash-loop {2}deployment\/web -n \S+ on 3 clusters/m)
}, 240_000)

test('a stopped control plane is unreachable; the other clusters are verified without waiting for it', async () => {
  // Last: the third control plane stays stopped.
  stopped.add(clusters[2]!)
  await clusters[2]!.stop()
  const f = await fleet({ stopped: 'prod-us' })
  expectClean(f.run)
  expect(f.clusterVerdicts).toEqual({ staging: 'success', 'prod-eu': 'success', 'prod-us': 'unreachable' })
  const us = f.reports.find(r => r.context === 'prod-us')!
  expect(us.reason).toMatch(/never reached/)
  // The others' verdicts came long before kube-verdict gave up on the stopped one (a quarter of the 40s timeout).
  for (const r of f.reports.filter(r => r.context !== 'prod-us'))
    expect(r.elapsedSeconds).toBeLessThan(us.elapsedSeconds)
  // Each verdict is printed as it comes: the others' before kube-verdict gives up on the stopped one.
  expect(f.run.stdout.indexOf('success: staging: ')).toBeGreaterThan(0)
  expect(f.run.stdout.indexOf('success: staging: ')).toBeLessThan(
    f.run.stdout.indexOf('verdict: unreachable')
  )
  expect(f.run.exitCode).toBe(1)
}, 240_000)
