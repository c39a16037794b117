// Builds the real control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) from the
// official Go modules pinned in testcluster/controlplane/go.mod, once per version: the binaries are cached
// outside the clone under ~/.cache/kube-verdict/controlplane/<key>/, where <key> hashes go.mod, go.sum and
// our own Go sources. Go's own caches (GOCACHE, GOMODCACHE) stay where Go keeps them, also outside the clone.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const MODULE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'controlplane')

export const COMPONENTS = {
  etcd: './cmd/etcd',
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
  'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler'
} as const
export type Component = keyof typeof COMPONENTS

export type Binaries = Record<Component, string> & { version: string; dir: string }

/** The Kubernetes release the module pins (`require k8s.io/kubernetes vX.Y.Z`). */
export function kubernetesVersion(): string {
  const m = /k8s\.io\/kubernetes (v\d+\.\d+\.\d+)/.exec(readFileSync(join(MODULE_DIR, 'go.mod'), 'utf8'))
  if (!m) throw new Error(`testcluster/controlplane/go.mod does not pin k8s.io/kubernetes`)
  return m[1]!
}

function goSources(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir)) {
    const p = join(dir, e)
    if (statSync(p).isDirectory()) out.push(...goSources(p))
    else if (/\.go$|^go\.(mod|sum)$/.test(e)) out.push(p)
  }
  return out.sort()
}

/** The version stamp hack/lib/version.sh puts in a release build, so /version and `kubectl version` say it. */
function buildFlags(version: string): string[] {
  const [major, minor] = version.slice(1).split('.')
  const stamp = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap(pkg => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`
  ])
  return ['-ldflags', stamp.join(' ')]
}

export function cacheDir(): string {
  const h = createHash('sha256').update(buildFlags(kubernetesVersion()).join('\n'))
  for (const f of goSources(MODULE_DIR)) h.update(f.slice(MODULE_DIR.length)).update(readFileSync(f))
  const base = process.env.KV_CONTROLPLANE_CACHE ?? join(homedir(), '.cache', 'kube-verdict', 'controlplane')
  return join(base, `${kubernetesVersion()}-${h.digest('hex').slice(0, 12)}`)
}

/** Says what to install when Go is missing or too old, instead of skipping anything. */
export function checkGo(): void {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' })
  if (r.error || r.status !== 0) {
    throw new Error(
      'The real control plane is built from the official Go modules and needs Go 1.26 or newer on PATH ' +
        "(go.dev/doc/install, or your distribution's golang package), with access to the Go module proxy. " +
        'It was not found: ' +
        (r.error?.message ?? r.stderr.trim())
    )
  }
  const m = /go1\.(\d+)/.exec(r.stdout)
  if (m && Number(m[1]) < 26)
    throw new Error(`The real control plane needs Go 1.26 or newer; this machine has ${r.stdout.trim()}.`)
}

/**
 * Returns the cached binaries, building them first when the cache has none. Progress goes to `log`
 * (a cold build compiles ~2,000 packages: minutes on 2 cores).
 */
export async function ensureBinaries(log: (line: string) => void = () => undefined): Promise<Binaries> {
  const dir = cacheDir()
  const version = kubernetesVersion()
  const bins = Object.fromEntries(Object.keys(COMPONENTS).map(c => [c, join(dir, c)])) as Record<
    Component,
    string
  >
  if (Object.values(bins).every(existsSync)) return { ...bins, version, dir }
  checkGo()
  const tmp = `${dir}.partial-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  log(`building the control plane ${version} into ${dir} (cached for later runs)`)
  const started = Date.now()
  let packages = 0
  await new Promise<void>((done, fail) => {
    const args = ['build', '-v', ...buildFlags(version), '-o', tmp + '/', ...Object.values(COMPONENTS)]
    const child = spawn('go', args, {
      cwd: MODULE_DIR,
      env: { ...process.env, GOFLAGS: '-buildvcs=false' },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let tail = ''
    let lastReport = 0
    child.stderr.on('data', (c: Buffer) => {
      const text = c.toString()
      tail = (tail + text).slice(-4000)
      packages += text.split('\n').filter(l => l && !l.startsWith('go: ')).length
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now()
        log(`  … ${packages} packages compiled, ${Math.round((Date.now() - started) / 1000)} s`)
      }
    })
    child.on('error', fail)
    child.on('close', code =>
      code === 0 ? done() : fail(new Error(`go build failed (exit ${code}):\n${tail}`))
    )
  })
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dirname(dir), { recursive: true })
  renameSync(tmp, dir)
  log(`built in ${Math.round((Date.now() - started) / 1000)} s (${packages} packages)`)
  return { ...bins, version, dir }
}
