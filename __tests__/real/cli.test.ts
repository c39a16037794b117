// The CLI through its bundle on the real control plane, with a kubeconfig file for the least-privilege token:
// plain lines and exit 0 on success, a live status line in a pseudo-terminal, --json with the exit codes of
// the verdict families, and `explain` reading the state once.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { kubeconfigFor } from '../../testcluster/real/controlplane.js'
import {
  kubeconfigForStory,
  realCluster,
  STORY_WORLD,
  slug,
  type RealCluster
} from '../../testcluster/real/harness.js'
import { realStories } from '../../testcluster/stories/index.js'
import type { RealStory, StoryNs } from '../../testcluster/stories/story.js'
import { V2, NEW_DIGEST, REPO } from '../../testcluster/stories/images.js'

const CLI = resolve('dist/cli/index.js')
/** The launcher npm installs as `kube-verdict`: checks the Node version, then runs the bundle. */
const BIN = resolve('bin/kube-verdict.js')
let c: RealCluster

beforeAll(async () => {
  c = await realCluster(STORY_WORLD)
}, 120_000)

afterAll(async () => {
  await c?.stop()
})

function cli(
  args: string[],
  opts: { kubeconfig?: string; tty?: boolean; bin?: boolean } = {}
): Promise<{ code: number; out: string; err: string }> {
  const entry = opts.bin ? BIN : CLI
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: mkdtempSync(join(tmpdir(), 'kv-cli-')),
    ...(opts.kubeconfig ? { KUBECONFIG: opts.kubeconfig } : {}),
    TERM: 'xterm-256color'
  }
  const quoted = [process.execPath, entry, ...args].map(a => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  // `script` gives the CLI a real pseudo-terminal, as a person's shell would.
  const [cmd, argv] = opts.tty
    ? ['script', ['-qefc', `stty cols 120; ${quoted}`, '/dev/null']]
    : [process.execPath, [entry, ...args]]
  return new Promise(r => {
    const p = spawn(cmd as string, argv as string[], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    p.stdout.on('data', (b: Buffer) => (out += b.toString()))
    p.stderr.on('data', (b: Buffer) => (err += b.toString()))
    p.on('close', code => r({ code: code ?? -1, out, err }))
  })
}

const story = (prefix: string): RealStory => {
  const s = realStories().find(x => x.name.startsWith(prefix))
  if (!s) throw new Error(`no story ${prefix}`)
  return s
}

/** A story's namespaces and cluster state, and a kubeconfig file for its least-privilege token. */
async function prepare(
  st: RealStory,
  before?: (ns: StoryNs) => void
): Promise<{ ns: StoryNs; kubeconfig: string }> {
  const id = slug(st.name)
  const ns = { app: id, build: `${id}-ci` }
  await c.cp.namespace(ns.app)
  const file = join(mkdtempSync(join(tmpdir(), 'kv-kubeconfig-')), 'config')
  writeFileSync(file, await kubeconfigForStory(c, st, ns, false))
  before?.(ns)
  await st.setup(c.world, ns)
  return { ns, kubeconfig: file }
}

const DIGEST = `${REPO}@${NEW_DIGEST}`

test('not on a terminal: plain lines, then the verdict; exit 0 on success', async () => {
  // The new image takes 2 s to pull (6 s for the three pods), so the CLI started right after the apply sees the
  // rollout in progress even when a busy machine slows its start.
  const { ns, kubeconfig } = await prepare(story('success: rolling update of 3 replicas'), n =>
    c.world.registry.set(V2, { pullSeconds: 2 }, n.app)
  )
  const r = await cli(['deployment/web', '-n', ns.app, '--digest', DIGEST, '--timeout', '60s'], {
    kubeconfig
  })
  expect(r.code).toBe(0)
  expect(r.out).not.toMatch(/\u001b|\r/)
  expect(r.out).toMatch(/^\[\d+\.\ds\] progressing: /m)
  expect(r.out).toMatch(new RegExp(`^success {2}deployment/web -n ${ns.app}`, 'm'))
  expect(r.out).toMatch(/running {2}web-\S+ +sha256:d1864540c443… +match/)
  expect(r.out).toMatch(/next {2}Nothing to do/)
}, 120_000)

test('in a pseudo-terminal: a live status line, then the verdict in colour', async () => {
  const { ns, kubeconfig } = await prepare(story('crash-loop: the container exits three times'))
  const r = await cli(['deployment/web', '-n', ns.app, '--digest', DIGEST, '--timeout', '60s'], {
    kubeconfig,
    tty: true
  })
  expect(r.code).toBe(1)
  expect(r.out).toMatch(/\r\u001b\[2K⏳ +\d+\.\ds {2}/) // the status line rewrites itself
  expect(r.out).toMatch(/\u001b\[31m\u001b\[1mcrash-loop\u001b\[0m/)
  expect(r.out).toMatch(/ECONNREFUSED 10\.96\.0\.12:5432/)
  expect(r.out).toMatch(new RegExp(`kubectl logs --previous web-\\S+ -n ${ns.app}`))
}, 120_000)

test('--json prints the report object; exit codes follow the verdict family', async () => {
  const { ns, kubeconfig } = await prepare(story('stale: the pods run another digest'))
  const r = await cli(['deployment/web', '-n', ns.app, '--digest', DIGEST, '--grace', '1s', '--json'], {
    kubeconfig
  })
  expect(r.code).toBe(1)
  const report = JSON.parse(r.out) as { verdict: string; built: { digest: string }; running: unknown[] }
  expect(report).toMatchObject({ verdict: 'stale', built: { digest: NEW_DIGEST } })
  expect(report.running.length).toBeGreaterThan(0)
  // A token the apiserver does not know: unreachable, exit 3.
  const bad = join(mkdtempSync(join(tmpdir(), 'kv-kubeconfig-')), 'config')
  writeFileSync(bad, kubeconfigFor(c.cp.url, c.cp.caPem, 'nope'))
  const t = await cli(['deployment/web', '-n', ns.app, '--timeout', '2s', '--json'], { kubeconfig: bad })
  expect(t.code).toBe(3)
  expect((JSON.parse(t.out) as { verdict: string }).verdict).toBe('unreachable')
  const invalid = await cli(['deployment/web', '--digest', 'sha256:12'])
  expect(invalid.code).toBe(4)
}, 120_000)

test('explain: one read, the diagnosis of the state now', async () => {
  const { ns, kubeconfig } = await prepare(story('scheduling: pods Pending on taints and affinity'))
  // The scheduler has said why, and the autoscaler why it will not help.
  await c.world.until('FailedScheduling and NotTriggerScaleUp', async () => {
    const events = await c.world.api.list(`/api/v1/namespaces/${ns.app}/events`)
    const reasons = new Set(events.map(e => e.reason as string))
    return reasons.has('FailedScheduling') && reasons.has('NotTriggerScaleUp')
  })
  const started = Date.now()
  const r = await cli(['explain', 'deployment/web', '-n', ns.app], { kubeconfig })
  expect(Date.now() - started).toBeLessThan(5000)
  expect(r.code).toBe(1)
  expect(r.out).toMatch(new RegExp(`^scheduling {2}deployment/web -n ${ns.app}`, 'm'))
  // kube-scheduler 1.36 no longer names the taint (the stand-in's `untolerated taint {dedicated: gpu}` is older).
  expect(r.out).toMatch(/node\(s\) had untolerated taint\(s\) on 1\/4 nodes/)
  expect(r.out).toMatch(/will not add a node/)
}, 120_000)

test('a kind the cluster does not serve (Knative not installed): not-found at once, not API trouble until the deadline', async () => {
  const { ns, kubeconfig } = await prepare({
    name: 'no knative',
    expect: 'not-found',
    timeout: '30s',
    inputs: () => ({}),
    setup: async () => undefined
  })
  const started = Date.now()
  // The real apiserver answers the list of an unserved group `404 page not found` (plain text, no Status).
  const r = await cli(['ksvc/web', '-n', ns.app, '--grace', '1s', '--timeout', '30s'], { kubeconfig })
  expect(Date.now() - started).toBeLessThan(15_000)
  expect(r.code).toBe(1)
  expect(r.out).toMatch(new RegExp(`^not-found {2}ksvc/web -n ${ns.app}`, 'm'))
  expect(r.out).toMatch(/does not serve services\.serving\.knative\.dev\/v1 \(404 page not found\)/)
  expect(r.out).not.toMatch(/API trouble/)
}, 120_000)
