// The CLI as a user installs it: `npm pack`, then the tarball installed into an empty directory, outside the
// repository, with no devDependencies (the bundle holds every runtime dependency, so there are none to fetch);
// then `kube-verdict --version` and one verification against the test cluster.
import { spawn as spawnChild, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { writeKubeconfig } from '../../testcluster/kubeconfig.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import { rollingUpdate } from '../../testcluster/stories/recorded.js'
import { NEW_DIGEST, REPO } from '../../testcluster/stories/images.js'
import { tempDir } from '../../testcluster/tmp.js'

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string }
let prefix: string
let bin: string
/** A Node new enough for the CLI (this suite's Node 24) first on PATH, and nothing of the repository's. */
const PATH = [
  dirname(process.execPath),
  ...(process.env.PATH ?? '').split(delimiter).filter(d => !d.includes('node_modules'))
].join(delimiter)

beforeAll(() => {
  const out = tempDir('kv-pack-')
  const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', out], { encoding: 'utf8' })
  expect(pack.status).toBe(0)
  const tarball = join(
    out,
    readdirSync(out).find(f => f.endsWith('.tgz'))!
  )
  prefix = tempDir('kv-install-')
  const install = spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--offline', '--omit=dev', '--no-audit', '--no-fund', tarball],
    { encoding: 'utf8', cwd: prefix, env: { ...process.env, PATH } }
  )
  expect(install.stderr).not.toMatch(/ERR!/)
  expect(install.status).toBe(0)
  bin = join(prefix, 'node_modules', '.bin', 'kube-verdict')
}, 120_000)

test('the tarball holds the bundle, the launcher and the docs, and nothing of the sources or tests', () => {
  const root = join(prefix, 'node_modules', pkg.name)
  for (const f of [
    'dist/cli/index.js',
    'dist/index.js',
    'bin/kube-verdict.js',
    'README.md',
    'LICENSE',
    'CHANGELOG.md'
  ])
    expect({ f, there: existsSync(join(root, f)) }).toEqual({ f, there: true })
  for (const f of ['src', '__tests__', 'testcluster', 'node_modules'])
    expect({ f, there: existsSync(join(root, f)) }).toEqual({ f, there: false })
  // No runtime dependency was installed beside it.
  expect(readdirSync(join(prefix, 'node_modules')).filter(d => !d.startsWith('.'))).toEqual([pkg.name])
})

test('kube-verdict --version from the installed copy says the package version', () => {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', cwd: prefix, env: { PATH, HOME: prefix } })
  expect(r.stderr).toBe('')
  expect(r.stdout.trim()).toBe(`kube-verdict ${pkg.version}`)
  expect(r.status).toBe(0)
})

test('the installed CLI verifies a rollout on the test cluster', async () => {
  const pb = await play(rollingUpdate(), { quiet: true })
  try {
    const r = await new Promise<{ code: number; out: string }>(done => {
      const child = spawnChild(
        bin,
        ['deployment/web', '-n', NS, '--digest', `${REPO}@${NEW_DIGEST}`, '--timeout', '30s'],
        {
          cwd: prefix,
          env: { PATH, HOME: prefix, KUBECONFIG: writeKubeconfig(pb.server) }
        }
      )
      let out = ''
      child.stdout.on('data', (c: Buffer) => (out += c.toString()))
      child.stderr.on('data', (c: Buffer) => (out += c.toString()))
      child.on('close', code => done({ code: code ?? -1, out }))
    })
    expect(r.out).toMatch(/^success {2}deployment\/web -n shop/m)
    expect(r.code).toBe(0)
  } finally {
    await pb.stop()
  }
})
