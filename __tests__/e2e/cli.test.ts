// The CLI through its bundle, on the test cluster: without a terminal, in a pseudo-terminal, --json, explain.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { standInStories } from '../../testcluster/stories/index.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import { rollingUpdate } from '../../testcluster/stories/recorded.js'
import { NEW_DIGEST, REPO } from '../../testcluster/stories/images.js'
import { writeKubeconfig } from '../../testcluster/kubeconfig.js'
import { tempDir } from '../../testcluster/tmp.js'

const CLI = resolve('dist/cli/index.js')

function cli(
  args: string[],
  opts: { kubeconfig?: string; tty?: boolean } = {}
): Promise<{ code: number; out: string; err: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: tempDir('kv-cli-'),
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

/** The machine's own PATH, without the node_modules/.bin that npm puts first (and its Node 24 with it). */
const systemPath = (process.env.PATH ?? '')
  .split(delimiter)
  .filter(d => !d.includes('node_modules'))
  .join(delimiter)
const systemNode = spawnSync('node', ['--version'], {
  env: { PATH: systemPath },
  encoding: 'utf8'
}).stdout?.trim()
const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines
  .node
const floor = /(\d+)\.(\d+)\.(\d+)/.exec(engines)!.slice(1).map(Number)
const older = (v: string): boolean => {
  const have = v.replace(/^v/, '').split('.').map(Number)
  const i = floor.findIndex((n, j) => have[j] !== n)
  return i >= 0 && have[i]! < floor[i]!
}

test('the launcher, package.json engines and the README name the same Node.js floor', () => {
  expect(engines).toMatch(/^>=\d+\.\d+\.\d+$/)
  const [major, minor] = floor
  const readme = readFileSync('README.md', 'utf8')
  expect(readme).toContain(`Node.js ${major}.${minor} or newer`)
  expect(readme).not.toMatch(/Node\.js 22 or newer/)
  // undici 8 (under @kubernetes/client-node 2) is what sets the floor.
  const undici = JSON.parse(
    readFileSync('node_modules/@kubernetes/client-node/node_modules/undici/package.json', 'utf8')
  ) as { engines: { node: string } }
  expect(undici.engines.node).toBe(engines)
})

const onOldSystemNode = systemNode && older(systemNode) ? test : test.skip
onOldSystemNode(`on the system's older Node (${systemNode}): the launcher says what it needs, exit 4`, () => {
  const r = spawnSync('node', [resolve('bin/kube-verdict.js'), '--version'], {
    env: { PATH: systemPath },
    encoding: 'utf8'
  })
  expect(r.status).toBe(4)
  expect(r.stderr).toMatch(/^kube-verdict: needs Node\.js \d+\.\d+\.\d+ or newer \(package\.json engines: >=/)
  expect(r.stderr).not.toMatch(/\n\s+at /)
})

test("the README's command from a checkout works on the system's Node: npx kube-verdict", () => {
  const r = spawnSync('npx', ['--no-install', 'kube-verdict', '--version'], {
    env: { PATH: systemPath, HOME: tempDir('kv-npx-'), npm_config_update_notifier: 'false' },
    encoding: 'utf8',
    timeout: 30_000
  })
  expect(r.stdout).toBe('kube-verdict 0.1.0\n')
  expect(readFileSync('README.md', 'utf8')).toMatch(/npm ci\s*\n?.*npx kube-verdict/)
})

test('the bin launcher runs the bundle', async () => {
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
  const pb = await play(rollingUpdate(), { quiet: true })
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
  const c = standInStories().find(x => x.expect === 'crash-loop')!
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
  const c = standInStories().find(x => x.name.startsWith('stale'))!
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

describe('the CLI in its own words', () => {
  test('--kubeconfig naming no file says that file does not exist', async () => {
    const r = await cli(['deployment/web', '--kubeconfig', '/no/such/file'])
    expect(r.code).toBe(4)
    expect(r.out).toMatch(
      /--kubeconfig names "\/no\/such\/file", which does not exist\. Example: --kubeconfig ~\/\.kube\/config/
    )
    expect(r.out).not.toMatch(/KUBECONFIG names|secrets\./)
  })
  test('a file that is not a kubeconfig is reported as the one --kubeconfig named', async () => {
    const path = join(tempDir('kv-cli-kc-'), 'notes.txt')
    writeFileSync(path, '}}}{{{ not yaml\n')
    const r = await cli(['deployment/web', '--kubeconfig', path])
    expect(r.code).toBe(4)
    expect(r.out).toContain(`--kubeconfig names ${JSON.stringify(path)}, which is not a kubeconfig`)
    expect(r.out).not.toMatch(/from KUBECONFIG or ~\/\.kube\/config/)
  })
  test('errors name flags: --digest, --timeout', async () => {
    const both = await cli(['deployment/web', '--digest', `sha256:${'ab'.repeat(32)}`, '--build-pod', 'b'])
    expect(both.out).toMatch(/--build-pod conflicts with --digest; /)
    const grace = await cli(['deployment/web', '--timeout', '10s', '--grace', '30s'])
    expect(grace.code).toBe(4)
    expect(grace.out).toMatch(/--grace is "30s", not shorter than --timeout \(10s\).*Example: --grace 2s/)
    expect(grace.out).not.toMatch(/'timeout'|'expected-digest'/)
    const soak = await cli(['deployment/web', '--timeout', '1m', '--soak', '1m'])
    expect(soak.code).toBe(4)
    expect(soak.out).toMatch(
      /--soak is "1m", not shorter than --timeout \(1m\).*raise --timeout \(to 2m or more\)/
    )
  })
  test("Node's parser errors in the project's style; with --json, a JSON object on every path", async () => {
    const ambiguous = await cli(['deployment/web', '--timeout', '-5m'])
    expect(ambiguous.code).toBe(4)
    expect(ambiguous.err).toMatch(/^kube-verdict: --timeout needs a value.*Example: --timeout 5m\n/)
    expect(ambiguous.err).not.toMatch(/ambiguous|Did you forget/)
    for (const args of [
      ['deployment/web', '--timeout', '-5m', '--json'],
      ['deployment/web', "--frob'", '--json'],
      ['--json'],
      ['deployment/web', 'deployment/api', '--json'],
      ['deployment/web', '--digest', 'sha256:12', '--json'],
      ['deployment/web', '--kubeconfig', '/no/such/file', '--json']
    ]) {
      const r = await cli(args)
      expect({ args, code: r.code }).toEqual({ args, code: 4 })
      const report = JSON.parse(r.out) as { verdict: string; reason: string }
      expect(report.verdict).toBe('invalid-input')
      expect(report.reason).toMatch(/Example: /)
    }
  })
})

test('explain: one read, the diagnosis of the state now', async () => {
  const c = standInStories().find(x => x.expect === 'scheduling')!
  const pb = await play(c.scenario(), { quiet: true })
  try {
    // The recorded story's last write (the autoscaler's NotTriggerScaleUp) is in before the one read.
    await pb.done
    const started = Date.now()
    const r = await cli(['explain', 'deployment/web', '-n', NS], { kubeconfig: writeKubeconfig(pb.server) })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^scheduling {2}deployment\/web -n shop/m)
    // The real scheduler's words (v1.36 names no taint).
    expect(r.out).toMatch(/untolerated taint\(s\)/)
    expect(r.out).toMatch(/will not add a node/)
  } finally {
    await pb.stop()
  }
})
