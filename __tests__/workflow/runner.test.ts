// What a real runner (nektos/act) does with the action before any cluster is involved: it refuses a manifest with
// an expression in a description (so the guard in __tests__/unit/manifest.test.ts matters), and an invalid input
// fails the step with one line naming it.
import { readFileSync } from 'node:fs'
import { runWorkflow } from '../../testcluster/runner/act.js'
import { offline } from '../../testcluster/runner/offline.js'

const workflow = (input: string): string => `name: verify
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: verify
        uses: ./
        with:
          workload: deployment/web
          ${input}
      - if: always()
        run: echo "verdict=\${{ steps.verify.outputs.verdict }}"
`

test('act refuses an action.yml with ${{ }} in an input description, as GitHub does', async () => {
  const manifest = readFileSync('action.yml', 'utf8').replace(
    /(expected-digest:\n\s+description: ")/,
    '$1e.g. ${{ steps.build.outputs.digest }}; '
  )
  expect(manifest).toContain('${{ steps.build.outputs.digest }}')
  const r = await runWorkflow({
    workflow: workflow('timeout: 1m'),
    file: 'verify.yml',
    files: { 'action.yml': manifest }
  })
  expect(r.job('deploy')).toBe('failure')
  expect(r.events.map(e => e.msg).join('\n') + r.other).toMatch(/expressions are not allowed here/)
  // The bundle never ran: no verdict output.
  expect(r.output('deploy', 'verify', 'verdict')).toBeUndefined()
}, 120_000)

test('the real action.yml loads, and an invalid input fails the step with its one-line error', async () => {
  const r = await runWorkflow({ workflow: workflow("timeout: '5 minutes'"), file: 'verify.yml' })
  expect(r.step('deploy', 'verify')).toBe('failure')
  expect(r.job('deploy')).toBe('failure')
  expect(r.output('deploy', 'verify', 'verdict')).toBe('invalid-input')
  const log = r.log('deploy', 'verify')
  expect(log).toMatch(
    /Input 'timeout' "5 minutes" is not a duration like 90s, 5m or 1h30m\. Example: timeout: 10m/
  )
  expect(log).not.toMatch(/\n\s+at /)
  expect(r.annotations('deploy')[0]).toMatchObject({ level: 'error', title: 'kube-verdict: invalid-input' })
  // The always() step after it sees the output.
  expect(r.log('deploy')).toContain('verdict=invalid-input')
}, 120_000)

test("the project's own ci.yml: the test-action job (uses: ./ on the test cluster) passes for each scenario", async () => {
  const { text, swapped } = offline(readFileSync('.github/workflows/ci.yml', 'utf8'), {})
  expect(swapped).toEqual([
    'actions/setup-node@v4: dropped',
    'actions/setup-go@v5: dropped',
    'actions/cache@v4: dropped',
    'azure/setup-kubectl@v4: dropped',
    'npm ci: dropped (node_modules of the checkout is linked)',
    'actions/setup-node@v4: dropped',
    'npm ci: dropped (node_modules of the checkout is linked)'
  ])
  const r = await runWorkflow({ workflow: text, file: 'ci.yml', project: true, job: 'test-action' })
  if (process.env.KV_DEBUG) console.log(r.events.map(e => e.msg).join('\n'), r.other)
  const legs = [...new Set(r.events.map(e => e.jobID).filter(Boolean))]
  expect(legs.length).toBeGreaterThan(0)
  const verdicts = r.events.filter(e => e.command === 'set-output' && e.name === 'verdict').map(e => e.arg)
  expect(verdicts.sort()).toEqual(['crash-loop', 'success'])
  expect(r.events.filter(e => e.jobResult).map(e => e.jobResult)).toEqual(['success', 'success'])
  expect(r.exitCode).toBe(0)
}, 180_000)
