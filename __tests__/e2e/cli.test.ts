// The CLI through its bundle, on the test cluster: without a terminal, in a pseudo-terminal, --json, explain.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { CASES } from '../../testcluster/cases.js'
import { writeKubeconfig } from '../../testcluster/kubeconfig.js'
import { play } from '../../testcluster/scenario.js'
import { NEW_DIGEST, NS, REPO, rollingUpdate } from '../../testcluster/scenarios.js'

const CLI = resolve('dist/cli/index.js')

function cli(
  args: string[],
  opts: { kubeconfig?: string; tty?: boolean } = {}
): Promise<{ code: number; out: string; err: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: mkdtempSync(join(tmpdir(), 'kv-cli-')),
    ...(opts.kubeconfig ? { KUBECONFIG: opts.kubeconfig } : {}),
    TERM: 'xterm-256color'
  }
  const quoted = [process.execPath, CLI, ...args].map(a => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  // `script` gives the CLI a real pseudo-terminal, as a person's shell would.
  const [cmd, argv] = opts.tty
    ? ['script', ['-qefc', `stty cols 120; ${quoted}`, '/dev/null']]
    : [process.execPath, [CLI, ...args]]
  return new Promise(r => {
    const p = spawn(cmd as string, argv as string[], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    p.stdout.on('data', (c: Buffer) => (out += c.toString()))
    p.stderr.on('data', (c: Buffer) => (err += c.toString()))
    p.on('close', code => r({ code: code ?? -1, out, err }))
  })
}

test('the bin launcher runs the bundle (and would refuse Node < 22 with a sentence)', async () => {
  const r = await new Promise<string>(res => {
    const p = spawn(process.execPath, [resolve('bin/kube-verdict.js'), '--version'])
    let o = ''
    p.stdout.on('data', (c: Buffer) => (o += c.toString()))
    p.on('close', () => res(o))
  })
  expect(r).toBe('kube-verdict 0.1.0\n')
})

test('--help shows usage, examples and exit codes', async () => {
  const r = await cli(['--help'])
  expect(r.code).toBe(0)
  expect(r.out).toMatch(/kube-verdict explain KIND\/NAME/)
  expect(r.out).toMatch(/Examples:/)
  expect(r.out).toMatch(/Exit codes:\n\s+0\s+success/)
})

test('not on a terminal: plain lines, then the verdict; exit 0 on success', async () => {
  const pb = await play(rollingUpdate(3), { quiet: true })
  try {
    const r = await cli(
      ['deployment/web', '-n', NS, '--digest', `${REPO}@${NEW_DIGEST}`, '--timeout', '30s'],
      { kubeconfig: writeKubeconfig(pb.server) }
    )
    expect(r.code).toBe(0)
    expect(r.out).not.toMatch(/\u001b|\r/)
    expect(r.out).toMatch(/^\[\d+\.\ds\] progressing: /m)
    expect(r.out).toMatch(/^success {2}deployment\/web -n shop/m)
    expect(r.out).toMatch(/running {2}web-\S+ +sha256:d1864540c443… +match/)
    expect(r.out).toMatch(/next {2}Nothing to do/)
  } finally {
    await pb.stop()
  }
})

test('in a pseudo-terminal: a live status line, then the verdict in colour', async () => {
  const c = CASES.find(x => x.expect === 'crash-loop')!
  const pb = await play(c.scenario(), { quiet: true })
  try {
    const r = await cli(
      ['deployment/web', '-n', NS, '--digest', `${REPO}@${NEW_DIGEST}`, '--timeout', '30s'],
      { kubeconfig: writeKubeconfig(pb.server), tty: true }
    )
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/\r\u001b\[2K⏳ +\d+\.\ds {2}/) // the status line rewrites itself
    expect(r.out).toMatch(/\u001b\[31m\u001b\[1mcrash-loop\u001b\[0m/)
    expect(r.out).toMatch(/ECONNREFUSED 10\.96\.0\.12:5432/)
    expect(r.out).toMatch(/kubectl logs --previous web-\S+ -n shop/)
  } finally {
    await pb.stop()
  }
})

test('--json prints the report object; exit codes follow the verdict family', async () => {
  const c = CASES.find(x => x.name.startsWith('stale'))!
  const pb = await play(c.scenario(), { quiet: true })
  try {
    const r = await cli(
      ['deployment/web', '-n', NS, '--digest', `${REPO}@${NEW_DIGEST}`, '--grace', '1s', '--json'],
      { kubeconfig: writeKubeconfig(pb.server) }
    )
    expect(r.code).toBe(1)
    const report = JSON.parse(r.out) as { verdict: string; built: { digest: string }; running: unknown[] }
    expect(report).toMatchObject({ verdict: 'stale', built: { digest: NEW_DIGEST } })
    const t = await cli(['deployment/web', '-n', NS, '--timeout', '2s', '--json'], {
      kubeconfig: writeKubeconfig(pb.server, { token: 'nope' })
    })
    expect(t.code).toBe(3)
    const bad = await cli(['deployment/web', '--digest', 'sha256:12'])
    expect(bad.code).toBe(4)
    expect(bad.out).toMatch(
      /--digest is "sha256:12": has 2 hex characters; a sha256 digest has 64\. Example: --digest sha256:/
    )
  } finally {
    await pb.stop()
  }
})

test('explain: one read, the diagnosis of the state now', async () => {
  const c = CASES.find(x => x.expect === 'scheduling')!
  const pb = await play(c.scenario(), { quiet: true })
  try {
    const started = Date.now()
    const r = await cli(['explain', 'deployment/web', '-n', NS], { kubeconfig: writeKubeconfig(pb.server) })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^scheduling {2}deployment\/web -n shop/m)
    expect(r.out).toMatch(/untolerated taint \{dedicated: gpu\}/)
    expect(r.out).toMatch(/will not add a node/)
  } finally {
    await pb.stop()
  }
})
