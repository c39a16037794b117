// The real suites under load: runs them several times in a row while a one-core CPU hog runs beside them, so
// that timing bounds which only hold on an idle machine show up here rather than in someone's CI.
//
//   npm run test:load                     # 3 runs of __tests__/real and __tests__/workflow
//   npm run test:load -- 2 __tests__/real # 2 runs of one folder
//
// The hog is a bounded busy loop in its own process: it stops itself after HOG_LIMIT_MS even if this script dies,
// and this script stops it when the runs end. Prints one line per run (time, passed, failed) and exits non-zero
// when any run failed.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const HOG_LIMIT_MS = 3 * 60 * 60 * 1000

const args = process.argv.slice(2)
const runs = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 3
const suites = args.length > 0 ? args : ['__tests__/real', '__tests__/workflow']

interface JestResult {
  numPassedTests: number
  numFailedTests: number
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[]
}

const hog = spawn(
  process.execPath,
  ['-e', `const end = Date.now() + ${HOG_LIMIT_MS}; while (Date.now() < end);`],
  {
    stdio: 'ignore'
  }
)
const stopHog = (): void => void hog.kill('SIGKILL')
process.on('exit', stopHog)
process.on('SIGINT', () => process.exit(130))

const dir = mkdtempSync(join(tmpdir(), 'kv-load-'))
// act's log of every workflow run, kept for a failure that shows only under load (testcluster/runner/act.ts).
const actLogs = mkdtempSync(join(tmpdir(), 'kv-load-act-'))
let failedRuns = 0
console.log(`under load: ${runs} runs of ${suites.join(' ')} beside a one-core busy loop (pid ${hog.pid})`)
for (let i = 1; i <= runs; i++) {
  const out = join(dir, `run-${i}.json`)
  const started = Date.now()
  const code = await new Promise<number>(done => {
    const jest = spawn('npx', ['jest', '--json', `--outputFile=${out}`, ...suites], {
      env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules', KV_ACT_LOG_DIR: actLogs },
      stdio: ['ignore', 'ignore', 'inherit']
    })
    jest.on('close', c => done(c ?? 1))
  })
  const s = ((Date.now() - started) / 1000).toFixed(0)
  let r: JestResult | undefined
  try {
    r = JSON.parse(readFileSync(out, 'utf8')) as JestResult
  } catch {
    // jest died before writing its result
  }
  if (code !== 0) failedRuns++
  console.log(
    `run ${i}: ${s} s, ${r?.numPassedTests ?? '?'} passed, ${r?.numFailedTests ?? '?'} failed (exit ${code})`
  )
  for (const f of r?.testResults ?? [])
    for (const a of f.assertionResults)
      if (a.status === 'failed')
        console.log(`  failed: ${f.name.replace(process.cwd() + '/', '')}: ${a.fullName}`)
}
stopHog()
rmSync(dir, { recursive: true, force: true })
if (failedRuns > 0) console.log(`act's logs of the workflow runs: ${actLogs}`)
else rmSync(actLogs, { recursive: true, force: true })
process.exit(failedRuns > 0 ? 1 : 0)
