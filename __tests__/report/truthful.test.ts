// Reports say only what is true: no dangling "-n", counts in the right number, no empty headers or cells, no
// Image section where there is no image to speak of, a given digest named as given, explain without a deadline.
import { inputReport, type Report } from '../../src/report/report.js'
import { nextStep } from '../../src/report/next-step.js'
import { renderSummary } from '../../src/report/summary.js'
import { progressLine, renderVerdict } from '../../src/report/terminal.js'
import type { Diagnosis, Finding } from '../../src/verdict/types.js'
import { standInStories } from '../../testcluster/stories/index.js'
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
  for (const c of standInStories()) {
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

test('scaled to zero: the summary, the terminal and the next step say nothing ran and the image was not verified', () => {
  const r: Report = {
    ...inputReport(
      'deployment/web has 0 desired pods: nothing ran, so the built sha256:abababababab was not verified',
      'deployment/web',
      'shop'
    ),
    verdict: 'success',
    built: { digest: D, source: 'expected-digest' },
    digestSource: 'expected-digest',
    replicas: { desired: 0, updated: 0, ready: 0, available: 0 },
    nothingRan: true
  }
  const next = nextStep(r)
  expect(next).toBe(
    'Nothing ran: deployment/web has 0 desired pods (scaled to zero), so no pod runs the image and it was not verified. If it should run, scale it up and verify again.'
  )
  const summary = renderSummary(r)
  expect(summary).toContain(
    `Built \`${D}\` — from expected-digest: not verified, no pod ran (0 desired pods)`
  )
  const terminal = renderVerdict(plain, r)
  expect(terminal).toMatch(/built +sha256:ab.*not verified, no pod ran \(0 desired pods\)/)
  for (const text of [next, summary, terminal]) expect(text).not.toMatch(/pods are Ready|run the built image/)
  // With several workloads, the one scaled to zero is named beside the others that ran.
  const many: Report = {
    ...r,
    nothingRan: undefined,
    workloads: [
      { workload: 'deployment/web', verdict: 'success', reason: 'x' },
      { workload: 'deployment/worker', verdict: 'success', reason: 'y', nothingRan: true }
    ]
  }
  expect(nextStep(many)).toBe(
    'Nothing to do: the new pods are Ready and run the built image; deployment/worker has 0 desired pods, so nothing of it ran or was verified. If the platform reported a failure, it was a false alarm.'
  )
})

const finding = (f: Partial<Finding> & Pick<Finding, 'cause' | 'facts' | 'verdict'>): Finding =>
  ({
    severity: 'error',
    subject: 'pod/web-7c9f-x2x4q',
    pod: 'web-7c9f-x2x4q',
    container: 'web',
    message: 'x',
    workload: { kind: 'Deployment', name: 'web' },
    ...f
  }) as Finding

test('a container killed for its liveness probe: the next step names the probe and its failure, not a crash', () => {
  const r: Report = {
    ...inputReport('x', 'deployment/web', 'shop'),
    verdict: 'crash-loop',
    findings: [
      finding({
        cause: 'crash',
        verdict: 'crash-loop',
        facts: {
          restarts: 3,
          exitCode: 137,
          reason: 'Error',
          previousLog: true,
          killedBy: {
            probe: 'Liveness',
            failure: 'Liveness probe failed: HTTP probe failed with statuscode: 500'
          }
        }
      })
    ]
  }
  expect(nextStep(r)).toBe(
    "App team: the kubelet kills the container because its liveness probe fails (Liveness probe failed: HTTP probe failed with statuscode: 500). Make the endpoint answer, or fix the probe (path, port, initialDelaySeconds, timeoutSeconds, failureThreshold; a slow start wants a startupProbe); `kubectl describe pod web-7c9f-x2x4q -n shop` shows the probe and its events, `kubectl logs --previous web-7c9f-x2x4q -n shop` the killed run's last lines."
  )
})

test('a manifest that pins an old digest: the next step changes the reference, never "redeploy"', () => {
  const old = 'sha256:' + 'cd'.repeat(32)
  const r: Report = {
    ...inputReport('x', 'deployment/web', 'shop'),
    verdict: 'stale',
    findings: [
      finding({
        cause: 'digest-mismatch',
        verdict: 'stale',
        facts: { running: old, built: D, pinned: `registry.example.com/shop/web@${old}` }
      })
    ]
  }
  const next = nextStep(r)
  expect(next).toBe(
    `Change the image reference: the pod template pins \`registry.example.com/shop/web@${old}\` (container web), so redeploying runs that digest again. Set it to the built digest in the manifest and apply it, or \`kubectl set image deployment/web web=registry.example.com/shop/web@${D} -n shop\`.`
  )
  expect(next).not.toMatch(/[Rr]edeploy so|rollout restart/)
})
