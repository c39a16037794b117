// Several clusters in one step: three real control planes at once (one kubeconfig, three contexts), each with its
// own kube-apiserver, controllers, scheduler and machines. The bundle verifies all three under one deadline, as
// the runner runs it: the worst verdict for the step, `cluster-verdicts` for each, and a cluster that cannot be
// read (refused credentials, a stopped control plane) is unreachable alone while the others are verified.
import { kubeconfigForClusters } from '../../testcluster/real/controlplane.js'
import { realCluster, slug, type RealCluster } from '../../testcluster/real/harness.js'
import { V2, deploy, serving, type StoryNs } from '../../testcluster/real/stories.js'
import { runAction, type ActionRun } from '../../testcluster/run-action.js'
import { NEW_DIGEST, REPO } from '../../testcluster/scenarios.js'

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

/**
 * web 1.4.1 serving in the same namespace on every cluster, then 1.4.2 deployed everywhere; `crashing` clusters'
 * registry serves a 1.4.2 that exits; `unbound` gets a token no Role binds; `stopped` points at a stopped one.
 */
async function fleet(o: { crashing?: Context[]; unbound?: Context; stopped?: Context } = {}): Promise<Fleet> {
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
  const run = await runAction({
    workload: 'deployment/web',
    namespace: ns.app,
    context: CONTEXTS.join(', '),
    'expected-digest': `${REPO}@${NEW_DIGEST}`,
    timeout: '40s',
    kubeconfig: kubeconfigForClusters(entries)
  })
  for (const [i, context] of CONTEXTS.entries())
    if (context !== o.stopped) await clusters[i]!.cp.admin.delete(`/api/v1/namespaces/${ns.app}`)
  const report = JSON.parse(run.outputs.report ?? '{}') as { clusters?: Fleet['reports'] }
  return {
    run,
    clusterVerdicts: JSON.parse(run.outputs['cluster-verdicts'] ?? '{}') as Record<string, string>,
    verdicts: JSON.parse(run.outputs.verdicts ?? '{}') as Record<string, string>,
    reports: report.clusters ?? []
  }
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
  expect(f.run.stdout).toMatch(/next step: On `prod-eu` — /)
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
