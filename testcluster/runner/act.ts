// Runs a workflow file under nektos/act, a real Actions runner, in host mode: act loads action.yml itself, sets
// the inputs and their defaults, runs dist/index.js on the Node 24 it finds first on PATH, writes GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY and carries outputs to later steps and jobs. We read its JSON log back.
//
// The workflow runs in a fresh git repository (origin github.com/acme/shop) that holds a copy of the action
// (action.yml, dist/) and the files the story gives. `uses: ./` loads that copy; `uses: kube-verdict/kube-verdict@v1`,
// as the README's workflows are written, is mapped to the same copy with act's --local-repository.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { ACT, HELM, ensureTool, toolPath } from './tools.js'

/** One line of `act --json`, the fields we read. */
export interface ActEvent {
  msg: string
  level: string
  jobID?: string
  stepID?: string[]
  /** The step's name, as the workflow gives it. */
  step?: string
  stage?: string
  stepResult?: string
  jobResult?: string
  command?: string
  name?: string
  arg?: string
  content?: string
  kvPairs?: Record<string, string>
  raw_output?: boolean
}

export type JobResult = 'success' | 'failure' | 'skipped'

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  file?: string
  line?: string
  title?: string
}

export interface WorkflowRun {
  exitCode: number
  events: ActEvent[]
  /** act's own stderr and any line that is not JSON. */
  other: string
  ms: number
  /** Each job's result; a job act never started (its `if:` was false, or a job it needs failed) is skipped. */
  job(id: string): JobResult
  /** The step's result: success, failure, skipped; undefined when the step never appeared. */
  step(job: string, step: string): string | undefined
  output(job: string, step: string, name: string): string | undefined
  summary(job: string): string
  annotations(job: string): Annotation[]
  /** What the job's steps printed (one step, or all). */
  log(job: string, step?: string): string
}

export interface WorkflowOptions {
  /** The workflow's text, and its file name under .github/workflows/. */
  workflow: string
  file: string
  secrets?: Record<string, string>
  /**
   * The whole project (its tracked files as they are in the working tree, node_modules linked) instead of only
   * the action: for the project's own workflows.
   */
  project?: boolean
  /** Extra files of the repository, by path. */
  files?: Record<string, string>
  /** act --env: variables every step sees (the runner's own ones, e.g. GITHUB_API_URL). */
  env?: Record<string, string>
  event?: string
  /** Only this job (act -j). */
  job?: string
  /** Called with the commit's SHA (what the runner gives as github.sha) before the runner starts. */
  onCommit?: (sha: string) => void | Promise<void>
  /** act and everything it started are killed after this long (a hung story must not outlive its test). */
  timeoutMs?: number
}

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', '..')

/** PATH for the runner: Node 24 of node_modules/.bin first (act runs `node24` actions with the node on PATH), Helm. */
function runnerPath(): string {
  return [join(ROOT, 'node_modules', '.bin'), dirname(toolPath(HELM)), process.env.PATH ?? ''].join(':')
}

export async function runWorkflow(o: WorkflowOptions): Promise<WorkflowRun> {
  const act = await ensureTool(ACT)
  const dir = mkdtempSync(join(tmpdir(), 'kv-act-'))
  const repo = join(dir, 'repo')
  const home = join(dir, 'home')
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true })
  mkdirSync(home)
  if (o.project) {
    const tracked = (await exec('git', ['ls-files', '-z'], ROOT, { PATH: process.env.PATH ?? '' })).stdout
    for (const f of tracked.split('\0').filter(f => f && existsSync(join(ROOT, f)))) {
      mkdirSync(dirname(join(repo, f)), { recursive: true })
      cpSync(join(ROOT, f), join(repo, f))
    }
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'))
  } else {
    cpSync(join(ROOT, 'action.yml'), join(repo, 'action.yml'))
    cpSync(join(ROOT, 'dist'), join(repo, 'dist'), { recursive: true })
  }
  writeFileSync(join(repo, '.github', 'workflows', o.file), o.workflow)
  for (const [path, text] of Object.entries(o.files ?? {})) {
    mkdirSync(dirname(join(repo, path)), { recursive: true })
    writeFileSync(join(repo, path), text)
  }
  const secretFile = join(dir, 'secrets')
  writeFileSync(
    secretFile,
    Object.entries(o.secrets ?? {})
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join('')
  )
  const env = { PATH: runnerPath(), HOME: home, LANG: 'C.UTF-8' }
  const git = (...args: string[]): Promise<unknown> => exec('git', args, repo, env)
  await git('init', '-q', '-b', 'main')
  await git('add', '-A')
  await git('-c', 'user.email=ci@acme.test', '-c', 'user.name=ci', 'commit', '-qm', 'the change to deploy')
  await git('remote', 'add', 'origin', 'https://github.com/acme/shop.git')
  await o.onCommit?.((await exec('git', ['rev-parse', 'HEAD'], repo, env)).stdout.trim())
  const args = [
    o.event ?? 'push',
    '-W',
    `.github/workflows/${o.file}`,
    '-P',
    'ubuntu-latest=-self-hosted',
    '--json',
    '--secret-file',
    secretFile,
    '--action-cache-path',
    join(dir, 'act-cache'),
    '--no-cache-server',
    '--local-repository',
    `kube-verdict/kube-verdict@v1=${repo}`,
    ...(o.job ? ['-j', o.job] : []),
    ...Object.entries(o.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`])
  ]
  const started = Date.now()
  try {
    const { code, stdout, stderr } = await exec(act, args, repo, env, o.timeoutMs ?? 170_000)
    // For a failure that shows only on a busy machine (npm run test:load sets it): act's whole log, kept.
    const keep = process.env.KV_ACT_LOG_DIR
    if (keep) {
      mkdirSync(keep, { recursive: true })
      writeFileSync(join(keep, `${o.file}-${started}.log`), `${stdout}\n--- stderr ---\n${stderr}`)
    }
    return parse(code, stdout, stderr, Date.now() - started)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function parse(exitCode: number, stdout: string, stderr: string, ms: number): WorkflowRun {
  const events: ActEvent[] = []
  let other = stderr
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue
    try {
      events.push(JSON.parse(line) as ActEvent)
    } catch {
      other += `${line}\n`
    }
  }
  const of = (job: string, step?: string): ActEvent[] =>
    events.filter(e => e.jobID === job && (step === undefined || e.stepID?.[0] === step))
  return {
    exitCode,
    events,
    other,
    ms,
    job: id => {
      const r = of(id).find(e => e.jobResult)?.jobResult
      return r === 'success' || r === 'failure' ? r : 'skipped'
    },
    step: (job, step) => of(job, step).find(e => e.stepResult && e.stage === 'Main')?.stepResult,
    output: (job, step, name) => of(job, step).find(e => e.command === 'set-output' && e.name === name)?.arg,
    summary: job =>
      of(job)
        .filter(e => e.command === 'summary')
        .map(e => e.content ?? '')
        .join(''),
    annotations: job =>
      of(job).flatMap(e =>
        e.command === 'error' || e.command === 'warning' || e.command === 'notice'
          ? [{ level: e.command, message: e.arg ?? '', ...(e.kvPairs ?? {}) }]
          : []
      ),
    log: (job, step) =>
      of(job, step)
        .filter(e => e.raw_output)
        .map(e => e.msg)
        .join('')
  }
}

function exec(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs = 60_000
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    // Its own process group, so a timeout ends act and the steps it started.
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      stderr += `\n[test] ${cmd} killed after ${timeoutMs / 1000} s\n`
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // already gone
      }
    }, timeoutMs)
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', fail)
    child.on('close', code => {
      clearTimeout(timer)
      // A step's background process (a test cluster) must not outlive the run.
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // the group is gone
      }
      if (cmd === 'git' && code !== 0) fail(new Error(`git ${args.join(' ')}: ${stderr}`))
      else done({ code: code ?? -1, stdout, stderr })
    })
  })
}
