// Run before the test suite: builds the real control plane and the test-only Go tools (act, actionlint, Helm)
// when the cache has none (with progress), or fails with what to install. The suite never skips them silently.
import { TOOLS, ensureTool } from '../runner/tools.js'
import { ensureBinaries } from './build.js'

try {
  const t0 = Date.now()
  const b = await ensureBinaries(l => process.stderr.write(`[controlplane] ${l}\n`))
  const s = ((Date.now() - t0) / 1000).toFixed(1)
  process.stderr.write(`[controlplane] Kubernetes ${b.version} binaries ready (${s} s) in ${b.dir}\n`)
  for (const t of TOOLS) {
    const t1 = Date.now()
    const bin = await ensureTool(t, l => process.stderr.write(`[${t.name}] ${l}\n`))
    process.stderr.write(
      `[${t.name}] ${t.version} ready (${((Date.now() - t1) / 1000).toFixed(1)} s): ${bin}\n`
    )
  }
} catch (e) {
  process.stderr.write(`\n${(e as Error).message}\n\n`)
  process.exit(1)
}
