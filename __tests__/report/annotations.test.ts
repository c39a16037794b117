import { annotationsOf, CAP_PER_LEVEL } from '../../src/report/annotations.js'
import { inputReport, type Report } from '../../src/report/report.js'
import { renderSummary } from '../../src/report/summary.js'
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

/** A crash-looping workload `name` with `pods` pods (one finding each). */
const failing = (name: string, pods: number, verdict: Finding['verdict'] = 'crash-loop'): Finding[] =>
  Array.from({ length: pods }, (_, i) => ({
    ...f(i, 'error', verdict, `container ${name} exited (exit ${i})`),
    subject: `pod/${name}-${i}`,
    container: name,
    workload: { kind: 'Deployment' as const, name }
  }))

const several = (r: Report, n: number): Report => ({
  ...r,
  workloads: Array.from({ length: n }, (_, i) => ({
    workload: `deployment/w${i}`,
    verdict: r.verdict,
    reason: 'x'
  }))
})

test('15 failing workloads: 10 errors (the verdict and 9 workloads), and a notice names the 6 the summary holds', () => {
  const findings = Array.from({ length: 15 }, (_, i) => failing(`w${i}`, 1)).flat()
  const r = several(base('crash-loop', findings), 15)
  const a = annotationsOf(r, true)
  const count = (l: string): number => a.filter(x => x.level === l).length
  expect(count('error')).toBe(CAP_PER_LEVEL)
  expect(a[0]!.title).toBe('kube-verdict: crash-loop')
  expect(a.slice(1, 10).map(x => x.title)).toEqual(
    Array.from({ length: 9 }, (_, i) => `crash-loop: deployment/w${i} pod/w${i}-0 (w${i})`)
  )
  expect(a[a.length - 1]).toEqual({
    level: 'notice',
    title: 'kube-verdict',
    message: '6 more findings in the job summary'
  })
  expect(a).toHaveLength(11)
  // The job summary holds every one of them.
  const summary = renderSummary(r)
  for (let i = 0; i < 15; i++) expect(summary).toContain(`pod/w${i}-0 (w${i}): container w${i} exited`)
})

test('ranked by verdict, then by how many pods a finding covers; one per workload and cause', () => {
  const findings = [
    ...failing('small', 1, 'unhealthy'),
    ...failing('one', 1),
    ...failing('many', 5),
    ...failing('some', 3),
    ...failing('cfg', 2, 'config-error')
  ]
  const a = annotationsOf(several(base('crash-loop', findings), 5), true)
  expect(a.map(x => x.title)).toEqual([
    'kube-verdict: crash-loop',
    'crash-loop: deployment/many pod/many-0 (many) and 4 more pods',
    'crash-loop: deployment/some pod/some-0 (some) and 2 more pods',
    'crash-loop: deployment/one pod/one-0 (one)',
    'config-error: deployment/cfg pod/cfg-0 (cfg) and 1 more pod',
    'unhealthy: deployment/small pod/small-0 (small)'
  ])
})

test('within the caps per level, with the rest counted, the closing notice within the 10 notices', () => {
  const findings = [
    ...Array.from({ length: 30 }, (_, i) => failing(`e${i}`, 1)).flat(),
    ...Array.from({ length: 15 }, (_, i) => ({ ...failing(`w${i}`, 1)[0]!, severity: 'warning' as const })),
    ...Array.from({ length: 15 }, (_, i) => ({ ...failing(`n${i}`, 1)[0]!, severity: 'notice' as const }))
  ]
  const a = annotationsOf(base('crash-loop', findings), true)
  const count = (l: string): number => a.filter(x => x.level === l).length
  expect([count('error'), count('warning'), count('notice')]).toEqual([10, 10, 10])
  // 30 - 9 errors, 15 - 10 warnings, 15 - 9 notices.
  expect(a[a.length - 1]).toMatchObject({ level: 'notice', message: '32 more findings in the job summary' })
})

test('what the step writes besides (a Deployment status warning) counts within the caps', () => {
  const findings = Array.from({ length: 15 }, (_, i) => ({
    ...failing(`w${i}`, 1)[0]!,
    severity: 'warning' as const
  }))
  const a = annotationsOf(base('crash-loop', findings), true, undefined, { warning: 2 })
  expect(a.filter(x => x.level === 'warning')).toHaveLength(8)
  expect(a[a.length - 1]!.message).toBe('7 more findings in the job summary')
})

test('the same finding on many pods is one annotation', () => {
  const findings = Array.from({ length: 20 }, (_, i) =>
    f(i, 'error', 'scheduling', 'pod cannot be scheduled: Insufficient memory on 5/5 nodes')
  )
  const a = annotationsOf(base('scheduling', findings), true)
  expect(a).toHaveLength(2)
  expect(a[1]!.title).toBe('scheduling: pod/web-0 and 19 more pods')
})

test('past the detailed ones, the summary holds the rest one line per workload and cause', () => {
  const findings = [
    ...Array.from({ length: 28 }, (_, i) => failing(`a${i}`, 1)).flat(),
    ...failing('big', 12),
    ...failing('late', 2, 'unhealthy')
  ]
  const r = several(base('crash-loop', findings), 30)
  const text = renderSummary(r)
  expect(text).toContain('<summary>12 more findings, one line per workload and cause</summary>')
  expect(text).toContain(
    'deployment/big: <b>crash-loop</b> pod/big-2 (big) and 9 more pods: container big exited'
  )
  expect(text).toContain('deployment/late: <b>unhealthy</b> pod/late-0 (late) and 1 more pod:')
  expect(text).not.toMatch(/left out/)
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
