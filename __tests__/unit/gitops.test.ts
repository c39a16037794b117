// The GitOps stage's pure decisions: Helm's storage decoding and statuses, Argo CD's and Flux's status, the
// revision forms, and the inputs that name them.
import { gzipSync } from 'node:zlib'
import { argoStage, type ArgoApplication } from '../../src/gitops/argocd.js'
import { fluxStage, parseInventoryId, type FluxKustomization } from '../../src/gitops/flux.js'
import {
  decodeRelease,
  helmStage,
  storedRelease,
  waitGaveUp,
  workloadsOfManifest,
  type HelmRecord
} from '../../src/gitops/helm.js'
import { parseRevision, revisionMatches } from '../../src/gitops/revision.js'
import { InputError, readSettings } from '../../src/inputs.js'

const NEW = '9a8b7c6d5e4f30211223344556677889900aabbc'
const OLD = '1f2e3d4c5b6a79881726354453627180a9b8c7d6'

const MANIFEST = `---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec: {}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
`

describe('revisions', () => {
  test.each([
    ['9a8b7c6', NEW, true],
    [NEW, NEW, true],
    ['9a8b7c6', `main@sha1:${NEW}`, true],
    [`main@sha1:${NEW}`, `main@sha1:${NEW}`, true],
    [`main@sha1:${NEW}`, `dev@sha1:${NEW}`, false],
    ['9a8b7c6', `main/${NEW}`, true],
    ['9a8b7c6', OLD, false],
    ['9a8b7c6', undefined, false]
  ])('%s names %s: %s', (want, applied, ok) => {
    expect(revisionMatches(applied, parseRevision(want))).toBe(ok)
  })
  test.each(['main', 'abc', 'zzzzzzz', 'main@sha1:'])('%s is not a revision', t => {
    expect(() => parseRevision(t)).toThrow(/SHA/)
  })
})

describe("Helm's release storage", () => {
  const record = (status: string, description: string): string => {
    const json = JSON.stringify({
      name: 'web',
      version: 2,
      namespace: 'shop',
      info: { status, description },
      config: { password: 'secret' },
      manifest: MANIFEST
    })
    return gzipSync(json).toString('base64')
  }
  test('decodes the Secret driver (two base64 layers, gzip) and the ConfigMap driver alike', () => {
    const helm = record('deployed', 'Upgrade complete')
    const viaSecret = decodeRelease(storedRelease('secret', Buffer.from(helm).toString('base64')))
    const viaConfigMap = decodeRelease(storedRelease('configmap', helm))
    expect(viaSecret).toEqual(viaConfigMap)
    expect(viaSecret).toMatchObject({ version: 2, status: 'deployed', namespace: 'shop' })
    // Values are never kept.
    expect(JSON.stringify(viaSecret)).not.toContain('secret')
  })
  test('an old, uncompressed release is plain JSON under base64', () => {
    const plain = Buffer.from(JSON.stringify({ info: { status: 'deployed' }, manifest: '' })).toString(
      'base64'
    )
    expect(decodeRelease(plain).status).toBe('deployed')
  })
  test('garbage is a decode error, not a crash', () => {
    expect(() => decodeRelease('bm90IGpzb24=')).toThrow(/not Helm/)
  })
  test('the manifest’s workloads, each in its namespace; the rest counted', () => {
    expect(workloadsOfManifest(MANIFEST, 'shop')).toEqual({
      workloads: [
        { ref: { kind: 'Deployment', name: 'web' }, namespace: 'shop' },
        { ref: { kind: 'StatefulSet', name: 'db' }, namespace: 'data' }
      ],
      others: 1
    })
  })
  const rec = (status: string, description = ''): HelmRecord => ({
    version: 2,
    status,
    description,
    manifest: MANIFEST
  })
  const rev = (status: string, version = 2) => ({
    object: `sh.helm.release.v1.web.v${version}`,
    version,
    status
  })
  test.each(['pending-install', 'pending-upgrade', 'pending-rollback'])('%s: wait', status => {
    expect(helmStage('web', 'shop', rev(status), undefined).phase).toBe('waiting')
  })
  test('no revision: absent', () => {
    expect(helmStage('web', 'shop', undefined, undefined).phase).toBe('absent')
  })
  test('deployed: the manifest’s workloads', () => {
    const s = helmStage('web', 'shop', rev('deployed'), rec('deployed'))
    expect(s.phase === 'applied' && s.workloads.length).toBe(2)
  })
  test('an older revision than asked for: wait', () => {
    expect(helmStage('web', 'shop', rev('deployed', 2), rec('deployed'), 3).phase).toBe('waiting')
  })
  test.each([
    'Upgrade "web" failed: timed out waiting for the condition',
    'Release "web" failed: context deadline exceeded'
  ])('failed by its own wait (%s): applied, flagged as a false alarm', d => {
    const s = helmStage('web', 'shop', rev('failed'), rec('failed', d))
    expect(s).toMatchObject({ phase: 'applied', falseAlarm: d })
  })
  test.each([
    'Upgrade "web" failed: cannot patch "web" with kind Deployment: field is immutable',
    'Upgrade "web" failed: admission webhook "policy.example.com" denied the request: no latest tags',
    'Upgrade "web" failed: pre-upgrade hooks failed: timed out waiting for the condition'
  ])('failed by an apply error or a hook (%s): apply-failed', d => {
    expect(helmStage('web', 'shop', rev('failed'), rec('failed', d))).toMatchObject({
      phase: 'failed',
      message: d
    })
  })
  test('a hook timing out is not a false alarm', () => {
    expect(waitGaveUp('pre-upgrade hooks failed: timed out waiting for the condition')).toBe(false)
  })
})

describe('Argo CD Application', () => {
  const app = (status: ArgoApplication['status']): ArgoApplication => ({
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: { destination: { namespace: 'shop' } },
    status
  })
  const resources = [
    { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' },
    { version: 'v1', kind: 'Service', namespace: 'shop', name: 'web' }
  ]
  const want = parseRevision('9a8b7c6')
  test('Synced and Healthy at an older commit: waiting, naming both', () => {
    const s = argoStage(
      app({
        sync: { status: 'Synced', revision: OLD },
        health: { status: 'Healthy' },
        operationState: { phase: 'Succeeded', syncResult: { revision: OLD } }
      }),
      'argocd/shop',
      want
    )
    expect(s.phase).toBe('waiting')
    expect(s.phase === 'waiting' && s.waitingFor).toMatch(/revision 9a8b7c6 .*Synced, Healthy at 1f2e3d4/)
  })
  test('the sync of the commit succeeded: its workloads, in the destination namespace', () => {
    const s = argoStage(
      app({
        sync: { status: 'OutOfSync', revision: NEW },
        operationState: { phase: 'Succeeded', syncResult: { revision: NEW } },
        resources
      }),
      'argocd/shop',
      want
    )
    expect(s).toMatchObject({
      phase: 'applied',
      revision: NEW,
      workloads: [{ ref: { kind: 'Deployment', name: 'web' }, namespace: 'shop' }],
      others: 1
    })
  })
  test('multi-source: any of sync.revisions', () => {
    const s = argoStage(app({ sync: { status: 'Synced', revisions: [OLD, NEW] } }), 'argocd/shop', want)
    expect(s.phase).toBe('applied')
  })
  test('a running sync waits; a failed one for the commit is the verdict', () => {
    const op = (phase: string) =>
      argoStage(
        app({
          operationState: {
            phase,
            message: 'one or more objects failed to apply',
            syncResult: { revision: NEW }
          }
        }),
        'argocd/shop',
        want
      )
    expect(op('Running').phase).toBe('waiting')
    expect(op('Failed')).toMatchObject({ phase: 'failed', message: 'one or more objects failed to apply' })
    expect(op('Error').phase).toBe('failed')
  })
  test('a failed sync of an older commit is not this change’s verdict', () => {
    const s = argoStage(
      app({ operationState: { phase: 'Failed', syncResult: { revision: OLD } } }),
      'argocd/shop',
      want
    )
    expect(s.phase).toBe('waiting')
  })
  test('a ComparisonError at the commit is the verdict', () => {
    const s = argoStage(
      app({
        sync: { status: 'Unknown', revision: NEW },
        conditions: [{ type: 'ComparisonError', message: 'rpc error: kustomize build failed' }]
      }),
      'argocd/shop',
      want
    )
    expect(s).toMatchObject({
      phase: 'failed',
      message: 'ComparisonError: rpc error: kustomize build failed'
    })
  })
  test('no such Application: absent', () => {
    expect(argoStage(undefined, 'argocd/shop', want).phase).toBe('absent')
  })
})

describe('Flux Kustomization', () => {
  const ks = (status: FluxKustomization['status']): FluxKustomization => ({
    metadata: { name: 'apps', namespace: 'flux-system', generation: 1 },
    status: { observedGeneration: 1, ...status }
  })
  const ready = (s: string, reason: string, message = '') => [{ type: 'Ready', status: s, reason, message }]
  const want = parseRevision(NEW.slice(0, 7))
  const entries = [
    { id: 'shop_web_apps_Deployment', v: 'v1' },
    { id: 'shop_web__Service', v: 'v1' },
    { id: '_shop__Namespace', v: 'v1' }
  ]
  test('inventory ids', () => {
    expect(parseInventoryId('shop_web_apps_Deployment')).toEqual({
      namespace: 'shop',
      name: 'web',
      group: 'apps',
      kind: 'Deployment'
    })
    expect(parseInventoryId('_shop__Namespace')).toEqual({
      namespace: '',
      name: 'shop',
      group: '',
      kind: 'Namespace'
    })
  })
  test('Ready at the commit: the inventory’s workloads', () => {
    const s = fluxStage(
      ks({
        lastAppliedRevision: `main@sha1:${NEW}`,
        conditions: ready('True', 'ReconciliationSucceeded'),
        inventory: { entries }
      }),
      'flux-system/apps',
      want
    )
    expect(s).toMatchObject({
      phase: 'applied',
      workloads: [{ ref: { kind: 'Deployment', name: 'web' }, namespace: 'shop' }],
      others: 2
    })
  })
  test('Ready at an older commit: waiting', () => {
    const s = fluxStage(
      ks({ lastAppliedRevision: `main@sha1:${OLD}`, conditions: ready('True', 'ReconciliationSucceeded') }),
      'flux-system/apps',
      want
    )
    expect(s.phase).toBe('waiting')
  })
  test.each(['ReconciliationFailed', 'BuildFailed'])('Ready=False %s at the commit: the verdict', reason => {
    const s = fluxStage(
      ks({
        lastAppliedRevision: `main@sha1:${OLD}`,
        lastAttemptedRevision: `main@sha1:${NEW}`,
        conditions: ready('False', reason, 'kustomize build failed')
      }),
      'flux-system/apps',
      want
    )
    expect(s).toMatchObject({ phase: 'failed', message: `${reason}: kustomize build failed` })
  })
  // Changed in 0.x: HealthCheckFailed was apply-failed. It is Flux's own clock (spec.timeout) running out after
  // the objects were applied (lastAppliedRevision stays at the last healthy revision): the pods decide.
  test('Ready=False HealthCheckFailed at the attempted commit: applied, its inventory verified, a false alarm', () => {
    const message =
      "health check failed after 2m0.012s: timeout waiting for: [Deployment/shop/web status: 'InProgress']"
    const s = fluxStage(
      ks({
        lastAppliedRevision: `main@sha1:${OLD}`,
        lastAttemptedRevision: `main@sha1:${NEW}`,
        conditions: ready('False', 'HealthCheckFailed', message),
        inventory: { entries }
      }),
      'flux-system/apps',
      want
    )
    expect(s).toMatchObject({
      phase: 'applied',
      revision: `main@sha1:${NEW}`,
      workloads: [{ ref: { kind: 'Deployment', name: 'web' }, namespace: 'shop' }],
      falseAlarm: `HealthCheckFailed: ${message}`
    })
  })
  test('health checks running for the attempted commit: its objects are applied', () => {
    const s = fluxStage(
      ks({
        lastAppliedRevision: `main@sha1:${OLD}`,
        lastAttemptedRevision: `main@sha1:${NEW}`,
        conditions: [
          { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' },
          {
            type: 'Reconciling',
            status: 'True',
            reason: 'Progressing',
            message: `Running health checks for revision main@sha1:${NEW} with a timeout of 2m0s`,
            observedGeneration: 1
          }
        ],
        inventory: { entries }
      }),
      'flux-system/apps',
      want
    )
    expect(s).toMatchObject({ phase: 'applied', revision: `main@sha1:${NEW}` })
  })
  test('DependencyNotReady waits; a new generation not yet observed waits', () => {
    expect(
      fluxStage(
        ks({ lastAttemptedRevision: `main@sha1:${NEW}`, conditions: ready('False', 'DependencyNotReady') }),
        'x',
        want
      ).phase
    ).toBe('waiting')
    expect(
      fluxStage(
        {
          metadata: { name: 'apps', generation: 2 },
          status: {
            observedGeneration: 1,
            lastAppliedRevision: `main@sha1:${NEW}`,
            conditions: ready('True', 'ReconciliationSucceeded')
          }
        },
        'x',
        want
      ).phase
    ).toBe('waiting')
  })
})

describe('inputs of the deploy tools', () => {
  const settings = (inputs: Record<string, string>) => readSettings(n => inputs[n] ?? '')
  const problem = (inputs: Record<string, string>): string => {
    try {
      settings(inputs)
    } catch (e) {
      if (e instanceof InputError) return e.message
      throw e
    }
    return ''
  }
  test('each source, with its defaults', () => {
    expect(settings({ 'helm-release': 'web', namespace: 'shop' }).gitops).toEqual({
      tool: 'helm',
      release: 'web',
      driver: 'secret'
    })
    expect(settings({ 'argocd-application': 'shop', revision: '9a8b7c6' }).gitops).toMatchObject({
      tool: 'argocd',
      namespace: 'argocd',
      name: 'shop',
      revision: { sha: '9a8b7c6' }
    })
    expect(settings({ 'flux-kustomization': 'apps' }).gitops).toMatchObject({
      tool: 'flux-kustomization',
      namespace: 'flux-system',
      name: 'apps'
    })
    expect(
      settings({ 'helm-release': 'web', revision: '4', 'helm-driver': 'configmap' }).gitops
    ).toMatchObject({
      driver: 'configmap',
      revision: 4
    })
  })
  test.each([
    [
      { 'helm-release': 'web', workload: 'deployment/web' },
      /^Input 'workload' conflicts with 'helm-release'.*Example: workload: /
    ],
    [
      { 'helm-release': 'web', 'argocd-application': 'shop' },
      /^Input 'argocd-application' conflicts with 'helm-release'/
    ],
    [{ workload: 'deployment/web', revision: 'abc1234' }, /^Input 'revision' is set but none of/],
    [
      { 'argocd-application': 'shop', revision: 'main' },
      /^Input 'revision' is "main", which is not a commit.*Example: revision: /
    ],
    [
      { 'helm-release': 'web', revision: 'abc1234' },
      /^Input 'revision' .*release revision.*Example: revision: 4/
    ],
    [{ 'argocd-application': 'a/b/c' }, /^Input 'argocd-application' .*\[NAMESPACE\/\]NAME/],
    [{ 'helm-release': 'Web_1' }, /^Input 'helm-release' .*not a Helm release name/],
    [{ 'helm-release': 'web', 'helm-driver': 'sql' }, /^Input 'helm-driver' .*secret or configmap/]
  ])('%j: one line naming the input, with an example', (inputs, message) => {
    const m = problem(inputs)
    expect(m).toMatch(message)
    expect(m).not.toMatch(/\n/)
  })
})
