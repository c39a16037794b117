// Runs the bundled action as the runner does: `node dist/index.js` with INPUT_*, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY, and reads back what it wrote.
//
// The runner sets an INPUT_ variable for every input action.yml declares: the workflow's value, else the
// input's default (an empty string when it has none). The name is the input's id upper-cased with spaces as
// `_` (hyphens stay: INPUT_EXPECTED-DIGEST). So do we: a test sees the defaults a user's workflow sees.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Only with `keep`: the summary file (otherwise the run's temporary directory is removed). */
  summaryPath?: string
  /** Wall-clock ms from spawn to exit. */
  ms: number
  /**
   * When the action last wrote GITHUB_OUTPUT (epoch ms, the file's mtime): the verdict's time on the world's
   * clock, whatever the action's own start-up cost on a busy machine. Undefined when it wrote no output.
   */
  outputsAt?: number
  /** The process's peak resident memory (VmHWM), sampled from /proc. */
  peakRssKb: number
}

export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]!)
    if (m) {
      const [, name, delim] = m
      const value: string[] = []
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]!)
      out[name!] = value.join('\n')
    } else if (lines[i]!.includes('=')) {
      const at = lines[i]!.indexOf('=')
      out[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1)
    }
  }
  return out
}

interface ActionInputSpec {
  description?: string
  required?: boolean
  default?: string | number | boolean
}

/** action.yml's inputs, in declaration order. */
export function actionInputs(path = resolve('action.yml')): Record<string, ActionInputSpec> {
  const doc = parse(readFileSync(path, 'utf8')) as { inputs?: Record<string, ActionInputSpec | null> }
  return Object.fromEntries(Object.entries(doc.inputs ?? {}).map(([k, v]) => [k, v ?? {}]))
}

/** The environment variable the runner sets for an input: INPUT_ + the id upper-cased, spaces as `_`. */
export function inputEnvName(input: string): string {
  return `INPUT_${input.replace(/ /g, '_').toUpperCase()}`
}

/**
 * The INPUT_ variables the runner would set for a step `with:` these inputs: every declared input, the given
 * value or the default. An input action.yml does not declare is a mistake of the test (the runner would only
 * warn "Unexpected input"), so it throws.
 */
export function runnerInputEnv(inputs: Record<string, string>, actionYml?: string): Record<string, string> {
  const declared = actionInputs(actionYml)
  const unknown = Object.keys(inputs).filter(k => !(k in declared))
  if (unknown.length > 0)
    throw new Error(
      `runAction: action.yml declares no input ${unknown.join(', ')}; valid: ${Object.keys(declared).join(', ')}`
    )
  const env: Record<string, string> = {}
  for (const [name, spec] of Object.entries(declared))
    env[inputEnvName(name)] = inputs[name] ?? (spec.default === undefined ? '' : String(spec.default))
  return env
}

export async function runAction(
  inputs: Record<string, string>,
  opts: {
    env?: Record<string, string>
    bundle?: string
    onStdout?: (chunk: string) => void
    /** Keep the run's directory (GITHUB_OUTPUT, the summary file, HOME) for a person to look at. */
    keep?: boolean
  } = {}
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-run-'))
  const outputPath = join(dir, 'output')
  const summaryPath = join(dir, 'summary.md')
  writeFileSync(outputPath, '')
  writeFileSync(summaryPath, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: dir,
    ...opts.env
  }
  Object.assign(env, runnerInputEnv(inputs))
  const started = Date.now()
  const child = spawn(process.execPath, [opts.bundle ?? resolve('dist/index.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString()
    opts.onStdout?.(c.toString())
  })
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  let peakRssKb = 0
  const poll = setInterval(() => {
    try {
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0)
      peakRssKb = Math.max(peakRssKb, hwm)
    } catch {
      // exited
    }
  }, 20)
  const exitCode = await new Promise<number>(r => child.on('close', code => r(code ?? -1)))
  clearInterval(poll)
  const ms = Date.now() - started
  try {
    const written = statSync(outputPath)
    return {
      ...(written.size > 0 ? { outputsAt: written.mtimeMs } : {}),
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
      summary: readFileSync(summaryPath, 'utf8'),
      ...(opts.keep ? { summaryPath } : {}),
      ms,
      peakRssKb
    }
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true })
  }
}
