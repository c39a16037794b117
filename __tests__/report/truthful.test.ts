// Reports say only what is true: no dangling "-n", counts in the right number, no empty headers or cells, no
// Image section where there is no image to speak of, a given digest named as given, explain without a deadline.
import { inputReport, type Report } from '../../src/report/report.js'
import { renderSummary } from '../../src/report/summary.js'
import { progressLine, renderVerdict } from '../../src/report/terminal.js'
import type { Diagnosis } from '../../src/verdict/types.js'
import { CASES } from '../../testcluster/cases.js'
import { replay } from '../helpers/replay.js'

const D = 'sha256:' + 'ab'.repeat(32)
const plain = { isTTY: false, columns: 100, color: false, write: () => undefined }
const unreachable = (extra: Partial<Report> = {}): Report => ({
  ...inputReport('the cluster could not be read: connect ECONNREFUSED', 'deployment/web', 'shop'),
  verdict: 'unreachable',
  ...extra
})

test('an empty namespace leaves no dangling -n', () => {
  const r = inputReport("Input 'workload' is required. Example: workload: deployment/web", '', '')
  expect(renderSummary(r).split('\n')[0]).toBe('## ⚠️ kube-verdict: `invalid-input`')
  const w = inputReport('x', 'deployment/web', '')
  expect(renderSummary(w).split('\n')[0]).toMatch(/`deployment\/web`$/)
  expect(renderVerdict(plain, w).split('\n')[0]).not.toMatch(/-n\s/)
})

test('one API request, one read', () => {
  const r = { ...unreachable(), apiRequests: 1, reads: 1 }
  expect(renderSummary(r)).toMatch(/1 API request(?!s)/)
  expect(renderVerdict(plain, r)).toMatch(/1 API request\)/)
  expect(renderSummary({ ...inputReport('x', 'deployment/web', 'shop'), reads: 1 })).toMatch(/· 1 read$/m)
})

test('no Image section for invalid input, nor for an unreachable cluster without a digest', () => {
  expect(renderSummary(inputReport('x', 'deployment/web', 'shop'))).not.toMatch(/### Image|Built/)
  expect(renderSummary(unreachable())).not.toMatch(/### Image|Built/)
})

test('a given digest is named as given, with why it was not verified', () => {
  const r = unreachable({ built: { digest: D, source: 'expected-digest' }, digestSource: 'expected-digest' })
  const text = renderSummary(r)
  expect(text).toContain(`Built \`${D}\` — from expected-digest: not verified, the cluster was not read`)
  expect(text).not.toMatch(/not known \(no/)
  expect(renderVerdict(plain, r)).toMatch(/built +sha256:ab.*not verified, the cluster was not read/)
  const buildPod = renderSummary({
    ...inputReport('waiting', 'deployment/web', 'shop'),
    verdict: 'timeout',
    digestSource: 'build-pod'
  })
  expect(buildPod).toMatch(/Built digest not known yet: the build pod has not logged a pushed digest/)
  expect(buildPod).not.toMatch(/no `expected-digest`/)
})

test('tables have no empty header and no empty cells; no "(no more detail)"', async () => {
  for (const c of CASES) {
    const text = renderSummary(await replay(c))
    expect(text).not.toMatch(/\| \|\n\|---/)
    expect(text).not.toMatch(/\| +\|$/m)
    expect(text).not.toContain('(no more detail)')
  }
})

test('explain has no deadline: "not done yet" and how to wait, not "timeout … Raise timeout"', () => {
  const r: Report = {
    ...inputReport('not done yet: waiting for 1 new pod Ready', 'deployment/web', 'shop'),
    verdict: 'timeout'
  }
  const text = renderVerdict(plain, r, 'explain')
  expect(text.split('\n')[0]).toMatch(/^not done yet {2}deployment\/web -n shop/)
  expect(text).toMatch(/next {2}Wait for the verdict: kube-verdict deployment\/web -n shop/)
  expect(text).not.toMatch(/Raise|raise `?timeout/)
})

test('a finding within grace is provisional in the progress lines', () => {
  const d = { verdict: 'stale', finality: 'after-grace' } as Diagnosis
  expect(progressLine({ at: 1.2, verdict: 'stale', reason: '1/1 new pods run sha256:aa' }, d)).toBe(
    '[1.2s] stale: 1/1 new pods run sha256:aa (provisional: it ends the wait only if it still holds after grace)'
  )
  expect(progressLine({ at: 0.4, verdict: 'progressing', reason: 'waiting' })).toBe(
    '[0.4s] progressing: waiting'
  )
})
