// Several clusters in one step, the pure parts: the `context` input's list, the step's report from the clusters'
// reports, its outputs and its summary table.
import { acrossClusters } from '../../src/clusters.js'
import { InputError, parseContexts, readSettings } from '../../src/inputs.js'
import { combineClusters } from '../../src/report/clusters.js'
import { renderClusterSummary } from '../../src/report/cluster-summary.js'
import { inputReport, outputsOf, type Report } from '../../src/report/report.js'

describe('the context input', () => {
  test.each([
    ['', {}],
    ['prod', { context: 'prod' }],
    ['prod,', { context: 'prod' }],
    ['staging, prod-eu\nprod-us', { contexts: { names: ['staging', 'prod-eu', 'prod-us'] } }],
    ['a, a', { context: 'a' }],
    ['*', { contexts: { every: true } }]
  ])('%j', (raw, want) => {
    expect(parseContexts(raw)).toEqual(want)
  })

  test('* with names is bad input that names the input', () => {
    expect(() => parseContexts('*, prod')).toThrow(InputError)
    expect(() => parseContexts('*, prod')).toThrow(/^Input 'context' mixes \* with context names/)
  })
})

function cluster(context: string, verdict: Report['verdict'], reason: string): Report {
  return {
    ...inputReport('', 'deployment/web', 'shop'),
    verdict,
    reason,
    context,
    replicas: { desired: 3, updated: 3, ready: verdict === 'success' ? 3 : 1, available: 1 }
  }
}

describe('the step over three clusters', () => {
  const r = combineClusters([
    cluster('staging', 'success', 'rolled out'),
    cluster('prod-eu', 'crash-loop', 'pod/web-1 (web): CrashLoopBackOff'),
    cluster('prod-us', 'unreachable', 'never reached')
  ])

  test('the worst verdict, and a reason that names each cluster that did not roll out', () => {
    expect(r.verdict).toBe('unreachable')
    expect(r.reason).toBe(
      '2 of 3 clusters did not roll out (prod-eu crash-loop, prod-us unreachable); prod-us: never reached'
    )
  })

  test('outputs: cluster-verdicts, verdicts keyed CONTEXT/KIND/NAME, summed replicas', () => {
    const o = outputsOf(r)
    expect(JSON.parse(o['cluster-verdicts']!)).toEqual({
      staging: 'success',
      'prod-eu': 'crash-loop',
      'prod-us': 'unreachable'
    })
    expect(JSON.parse(o.verdicts!)).toEqual({
      'staging/deployment/web': 'success',
      'prod-eu/deployment/web': 'crash-loop',
      'prod-us/deployment/web': 'unreachable'
    })
    expect(o['ready-replicas']).toBe('5')
    expect(JSON.parse(o.report!).clusters).toHaveLength(3)
  })

  test('one context: verdicts as before, cluster-verdicts names it', () => {
    const o = outputsOf(cluster('prod', 'success', 'rolled out'))
    expect(JSON.parse(o.verdicts!)).toEqual({ 'deployment/web': 'success' })
    expect(JSON.parse(o['cluster-verdicts']!)).toEqual({ prod: 'success' })
    expect(JSON.parse(outputsOf(inputReport('bad', '', ''))['cluster-verdicts']!)).toEqual({})
  })

  test('the summary opens with the clusters × workloads table, then each failing cluster', () => {
    const s = renderClusterSummary(r)
    expect(s).toMatch(/^## 🔌 kube-verdict: `unreachable` — 3 clusters\n/)
    expect(s).toContain('| cluster | `deployment/web` |')
    expect(s).toContain('| `staging` | ✅ `success` |')
    expect(s).toContain('| `prod-eu` | ❌ `crash-loop`: pod/web-1 (web): CrashLoopBackOff |')
    expect(s).toContain('| `prod-us` | 🔌 `unreachable`: never reached |')
    expect(s).toMatch(/^### ❌ `prod-eu`: `crash-loop`/m)
    expect(s).toMatch(/^### 🔌 `prod-us`: `unreachable`/m)
    expect(s).not.toMatch(/^### ✅ `staging`/m)
    expect(s).toMatch(/\*\*Next step:\*\* On prod-us — /)
  })
})

describe('one cluster that fails on its own', () => {
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    ...['a', 'b'].flatMap(n => [`- name: ${n}`, '  cluster:', `    server: https://${n}.example:6443`]),
    'users:',
    '- name: u',
    '  user:',
    '    token: not-a-real-token',
    'contexts:',
    ...['a', 'b'].flatMap(n => [`- name: ${n}`, '  context:', `    cluster: ${n}`, '    user: u']),
    'current-context: a',
    ''
  ].join('\n')
  const settings = readSettings(n =>
    n === 'workload' ? 'deployment/web' : n === 'kubeconfig' ? kubeconfig : n === 'context' ? 'a, b' : ''
  )

  test('ends that cluster alone: a bug is unreachable there, bad input is invalid-input there; the other is verified', async () => {
    for (const [error, verdict] of [
      [new Error('boom'), 'unreachable'],
      [new InputError('revision', 'is not on this cluster', 'abc1234'), 'invalid-input']
    ] as const) {
      const r = await acrossClusters(settings, {}, { mask: () => undefined }, async s =>
        s.context === 'b'
          ? Promise.reject(error)
          : { ...inputReport('', 'deployment/web', ''), verdict: 'success' }
      )
      expect(JSON.parse(outputsOf(r)['cluster-verdicts']!)).toEqual({ a: 'success', b: verdict })
      expect(r.verdict).toBe(verdict)
      expect(r.clusters![1]!.reason).toMatch(/on b: /)
    }
  })
})
