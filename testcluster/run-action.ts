// Runs the bundled action as the runner does: `node dist/index.js` with INPUT_*, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY, and reads back what it wrote.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  summaryPath: string
  /** Wall-clock ms from spawn to exit. */
  ms: number
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

export async function runAction(
  inputs: Record<string, string>,
  opts: { env?: Record<string, string>; bundle?: string; onStdout?: (chunk: string) => void } = {}
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
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
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
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    summaryPath,
    ms: Date.now() - started,
    peakRssKb
  }
}
