import { annotationsOf, CAP_PER_LEVEL } from '../../src/report/annotations.js'
import { inputReport, type Report } from '../../src/report/report.js'
import type { Finding } from '../../src/verdict/types.js'

const base = (verdict: Report['verdict'], findings: Finding[]): Report => ({
  ...inputReport('reason', 'deployment/web', 'shop'),
  verdict,
  findings
})
const f = (
  i: number,
  severity: Finding['severity'],
  verdict: Finding['verdict'] = 'crash-loop',
  message = `exit ${i}`
): Finding => ({
  cause: 'crash',
  facts: { restarts: 1, previousLog: true },
  verdict,
  severity,
  subject: `pod/web-${i}`,
  message,
  workload: { kind: 'Deployment', name: 'web' }
})

test('the verdict comes first, with a title and the next step', () => {
  const a = annotationsOf(base('stale', []), true)
  expect(a[0]).toMatchObject({ level: 'error', title: 'kube-verdict: stale' })
  expect(a[0]!.message).toMatch(/Next step: .*kubectl rollout restart deployment\/web -n shop/)
})

test('within the caps per level, ranked as given, with the rest counted', () => {
  const findings = [
    ...Array.from({ length: 30 }, (_, i) => f(i, 'error')),
    ...Array.from({ length: 15 }, (_, i) => f(100 + i, 'warning'))
  ]
  const a = annotationsOf(base('crash-loop', findings), true)
  const count = (l: string): number => a.filter(x => x.level === l).length
  expect(count('error')).toBe(CAP_PER_LEVEL)
  expect(count('warning')).toBe(CAP_PER_LEVEL)
  expect(count('notice')).toBeLessThanOrEqual(CAP_PER_LEVEL)
  expect(a[a.length - 1]).toMatchObject({ level: 'notice', message: '26 more findings in the job summary' })
  expect(a[1]!.message).toBe('exit 0')
})

test('the same finding on many pods is one annotation', () => {
  const findings = Array.from({ length: 20 }, (_, i) =>
    f(i, 'error', 'scheduling', 'pod cannot be scheduled: Insufficient memory on 5/5 nodes')
  )
  const a = annotationsOf(base('scheduling', findings), true)
  expect(a).toHaveLength(2)
  expect(a[1]!.title).toBe('scheduling: pod/web-0 and 19 more pods')
})

test('with fail-on-verdict false the verdict is a warning; success is a notice', () => {
  expect(annotationsOf(base('stale', []), false)[0]!.level).toBe('warning')
  expect(annotationsOf(base('success', [f(1, 'error')]), true).map(x => x.level)).toEqual([
    'notice',
    'warning'
  ])
})

test('cluster text cannot spill out of one annotation', () => {
  const a = annotationsOf(
    base('crash-loop', [f(1, 'error', 'crash-loop', 'boom\n::error::forged\r\nmore')]),
    true
  )
  expect(a[1]!.message).not.toMatch(/[\r\n]/)
})
