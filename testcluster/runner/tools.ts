// The test-only Go programs beside the control plane: nektos/act (a real Actions runner), actionlint and Helm.
// Each is built once with `go install MODULE@VERSION` into ~/.cache/kube-verdict/tools/<name>-<version>/, keyed by
// its version like the control plane, and never enters dist/.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { checkGo } from '../real/build.js'

export interface GoTool {
  name: string
  module: string
  version: string
}

export const ACT: GoTool = { name: 'act', module: 'github.com/nektos/act', version: 'v0.2.89' }
/** 1.7.12 knows `runs.using: node24`; 1.7.7 rejects it. */
export const ACTIONLINT: GoTool = {
  name: 'actionlint',
  module: 'github.com/rhysd/actionlint/cmd/actionlint',
  version: 'v1.7.12'
}
export const HELM: GoTool = { name: 'helm', module: 'helm.sh/helm/v4/cmd/helm', version: 'v4.3.2' }

export const TOOLS = [ACT, ACTIONLINT, HELM] as const

export function toolPath(t: GoTool): string {
  const base = process.env.KV_TOOLS_CACHE ?? join(homedir(), '.cache', 'kube-verdict', 'tools')
  return join(base, `${t.name}-${t.version}`, t.name)
}

/** The tool's binary, built first when the cache has none (progress to `log`). */
export async function ensureTool(t: GoTool, log: (line: string) => void = () => undefined): Promise<string> {
  const bin = toolPath(t)
  if (existsSync(bin)) return bin
  checkGo()
  const tmp = `${dirname(bin)}.partial-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp, { recursive: true })
  log(`building ${t.name} ${t.version} (${t.module}) into ${dirname(bin)} (cached for later runs)`)
  const started = Date.now()
  await new Promise<void>((done, fail) => {
    const child = spawn('go', ['install', `${t.module}@${t.version}`], {
      // Outside any module: GOFLAGS=-mod=mod would be refused; the tool's own go.mod decides its dependencies.
      cwd: homedir(),
      env: { ...process.env, GOBIN: tmp, GOFLAGS: '-buildvcs=false' },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let tail = ''
    child.stderr.on('data', (c: Buffer) => (tail = (tail + c.toString()).slice(-4000)))
    child.on('error', fail)
    child.on('close', code =>
      code === 0
        ? done()
        : fail(new Error(`go install ${t.module}@${t.version} failed (exit ${code}):\n${tail}`))
    )
  })
  rmSync(dirname(bin), { recursive: true, force: true })
  renameSync(tmp, dirname(bin))
  log(`built ${t.name} in ${Math.round((Date.now() - started) / 1000)} s`)
  return bin
}
