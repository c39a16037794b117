// `npm run lint` part: actionlint over the project's own workflows and every documented example (and, through
// `uses: ./`, the inputs of action.yml). Built once per version under ~/.cache/kube-verdict/tools (needs Go).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ACTIONLINT, ensureTool } from '../testcluster/runner/tools.js'

const files = ['.github/workflows', 'docs/examples/workflows'].flatMap(d =>
  readdirSync(d)
    .filter(f => /\.ya?ml$/.test(f))
    .map(f => join(d, f))
)
try {
  const bin = await ensureTool(ACTIONLINT, l => process.stderr.write(`[actionlint] ${l}\n`))
  const r = spawnSync(bin, ['-no-color', ...files], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
  process.stdout.write(`actionlint ${ACTIONLINT.version}: ${files.length} workflows clean\n`)
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`)
  process.exit(1)
}
