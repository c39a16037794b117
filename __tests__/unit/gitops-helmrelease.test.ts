// A Flux HelmRelease as helm-controller writes it (helm.toolkit.fluxcd.io/v2): released, failed, remediated,
// Helm's own wait giving up, superseded; and the input that names it.
import { helmReleaseStage, wantsRecord, type FluxHelmRelease } from '../../src/gitops/helmrelease.js'
import type { HelmRecord } from '../../src/gitops/helm.js'
import { InputError, readSettings } from '../../src/inputs.js'

const MANIFEST = `---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
`
const record: HelmRecord = {
  version: 3,
  status: 'deployed',
  description: 'Upgrade complete',
  manifest: MANIFEST,
  namespace: 'shop'
}

const snap = (version: number, chartVersion: string, status: string) => ({
  name: 'web',
  namespace: 'shop',
  version,
  status,
  chartName: 'web',
  chartVersion,
  configDigest: `sha256:${String(version).repeat(64).slice(0, 64)}`
})
const cond = (type: string, status: string, reason: string, message = '') => ({
  type,
  status,
  reason,
  message
})
const hr = (status: FluxHelmRelease['status']): FluxHelmRelease => ({
  metadata: { name: 'web', namespace: 'flux-system', generation: 2 },
  status: { observedGeneration: 2, storageNamespace: 'shop', ...status }
})

test('released at the chart version: the workloads of its manifest, once the record is read', () => {
  const o = hr({
    lastAttemptedRevision: '1.4.2',
    history: [snap(3, '1.4.2', 'deployed'), snap(2, '1.4.1', 'superseded')],
    conditions: [
      cond(
        'Ready',
        'True',
        'UpgradeSucceeded',
        'Helm upgrade succeeded for release shop/web.v3 with chart web@1.4.2'
      ),
      cond('Released', 'True', 'UpgradeSucceeded')
    ]
  })
  expect(wantsRecord(o, '1.4.2')).toBe(true)
  expect(helmReleaseStage(o, 'flux-system/web', '1.4.2', undefined).phase).toBe('waiting')
  expect(helmReleaseStage(o, 'flux-system/web', '1.4.2', record)).toMatchObject({
    phase: 'applied',
    revision: 'web@1.4.2 (release v3)',
    workloads: [{ ref: { kind: 'Deployment', name: 'web' }, namespace: 'shop' }]
  })
})

test('a failed upgrade is apply-failed with Helm’s message; a rollback by remediation says so', () => {
  const message =
    'Helm upgrade failed for release shop/web with chart web@1.4.2: cannot patch "web" with kind Deployment: field is immutable'
  const failed = hr({
    lastAttemptedRevision: '1.4.2',
    history: [snap(3, '1.4.2', 'failed'), snap(2, '1.4.1', 'superseded')],
    conditions: [
      cond('Ready', 'False', 'UpgradeFailed', message),
      cond('Released', 'False', 'UpgradeFailed', message)
    ]
  })
  expect(helmReleaseStage(failed, 'x', '1.4.2', undefined)).toMatchObject({
    phase: 'failed',
    message: `UpgradeFailed: ${message}`
  })
  const rolledBack = hr({
    ...failed.status,
    history: [snap(4, '1.4.1', 'deployed'), snap(3, '1.4.2', 'failed')],
    conditions: [
      cond(
        'Ready',
        'False',
        'RollbackSucceeded',
        'Helm rollback to previous release shop/web.v2 with chart web@1.4.1 succeeded'
      ),
      cond('Released', 'False', 'UpgradeFailed', message),
      cond(
        'Remediated',
        'True',
        'RollbackSucceeded',
        'Helm rollback to previous release shop/web.v2 with chart web@1.4.1 succeeded'
      )
    ]
  })
  const s = helmReleaseStage(rolledBack, 'x', '1.4.2', undefined)
  expect(s.phase).toBe('failed')
  expect(s.phase === 'failed' && s.message).toMatch(
    /^Flux remediated the release \(RollbackSucceeded: Helm rollback to previous release .*\) after UpgradeFailed: Helm upgrade failed/
  )
})

test('only Helm’s own wait gave up: applied, the pods decide (a false alarm flagged)', () => {
  const message =
    "Helm upgrade failed for release shop/web with chart web@1.4.2: timeout waiting for: [Deployment/shop/web status: 'InProgress']"
  const o = hr({
    lastAttemptedRevision: '1.4.2',
    history: [snap(3, '1.4.2', 'failed')],
    conditions: [
      cond('Ready', 'False', 'UpgradeFailed', message),
      cond('Released', 'False', 'UpgradeFailed', message)
    ]
  })
  expect(helmReleaseStage(o, 'x', '1.4.2', record)).toMatchObject({
    phase: 'applied',
    falseAlarm: `UpgradeFailed: ${message}`
  })
})

test('a newer history entry than the one waited for: superseded; not yet attempted: waiting', () => {
  const o = hr({
    lastAttemptedRevision: '1.4.3',
    history: [snap(4, '1.4.3', 'deployed'), snap(3, '1.4.2', 'superseded')],
    conditions: [cond('Ready', 'True', 'UpgradeSucceeded')]
  })
  expect(helmReleaseStage(o, 'x', '1.4.2', undefined)).toMatchObject({
    phase: 'superseded',
    by: 'web@1.4.3 (release v4)'
  })
  const before = hr({
    lastAttemptedRevision: '1.4.1',
    history: [snap(2, '1.4.1', 'deployed')],
    conditions: [cond('Ready', 'True', 'UpgradeSucceeded')]
  })
  expect(helmReleaseStage(before, 'x', '1.4.2', undefined).phase).toBe('waiting')
})

test('the input: [NAMESPACE/]NAME, and revision as a chart version or a config digest', () => {
  const settings = (inputs: Record<string, string>) => readSettings(n => inputs[n] ?? '')
  expect(settings({ 'flux-helmrelease': 'web', revision: '1.4.2' }).gitops).toEqual({
    tool: 'flux-helmrelease',
    namespace: 'flux-system',
    name: 'web',
    revision: '1.4.2'
  })
  expect(() => settings({ 'flux-helmrelease': 'shop/web', revision: 'main' })).toThrow(InputError)
  expect(() => settings({ 'flux-helmrelease': 'web', 'flux-kustomization': 'apps' })).toThrow(/conflicts/)
})
