// Run before the test suite: builds the real control plane when the cache has none (with progress), or fails
// with what to install. The suite never skips the real control plane silently.
import { ensureBinaries } from './build.js'

try {
  const t0 = Date.now()
  const b = await ensureBinaries(l => process.stderr.write(`[controlplane] ${l}\n`))
  const s = ((Date.now() - t0) / 1000).toFixed(1)
  process.stderr.write(`[controlplane] Kubernetes ${b.version} binaries ready (${s} s) in ${b.dir}\n`)
} catch (e) {
  process.stderr.write(`\n${(e as Error).message}\n\n`)
  process.exit(1)
}
