// A revision applied after the one a step waits for: `superseded` only where the tool's own order (Argo CD's
// history, Flux's applied-then-attempted, Helm's numbers) or this wait's reads show it; otherwise only said.
import { argoStage, type ArgoApplication } from '../../src/gitops/argocd.js'
import { fluxStage, type FluxKustomization } from '../../src/gitops/flux.js'
import { helmStage } from '../../src/gitops/helm.js'
import { parseRevision } from '../../src/gitops/revision.js'
import { extendTrail, movedPast, seenWithout } from '../../src/gitops/supersede.js'
import { lookAgain } from '../../src/gitops/run.js'
import type { StageState } from '../../src/gitops/stage.js'
import { waitForStage } from '../../src/gitops/wait.js'
import { inputReport, outputsOf, type Report } from '../../src/report/report.js'
import { VERDICT } from '../../src/verdict/table.js'

const A = '9a8b7c6d5e4f30211223344556677889900aabbc'
const B = '5b6c7d8e9f00112233445566778899aabbccddee'
const OLD = '1f2e3d4c5b6a79881726354453627180a9b8c7d6'
const want = parseRevision(A.slice(0, 7))

describe('the order of revisions', () => {
  test('moved past: the last revision after the wanted one', () => {
    expect(movedPast([OLD, A, B], want)).toBe(B)
    expect(movedPast([OLD, A], want)).toBeUndefined()
    expect(movedPast([OLD, B], want)).toBeUndefined()
    // A rollback to an older commit after it is also another revision applied after it.
    expect(movedPast([OLD, A, OLD], want)).toBe(OLD)
  })
  test('a trail drops repeats in a row; two commits without the wanted one are only said', () => {
    expect(extendTrail(extendTrail([OLD], OLD), B)).toEqual([OLD, B])
    expect(seenWithout([OLD, B], want)).toMatch(
      /^went 1f2e3d4 → 5b6c7d8 during the wait and never to 9a8b7c6; .*5b6c7d8 may be older, or newer/
    )
    expect(seenWithout([OLD], want)).toBeUndefined()
  })
})

describe('Argo CD', () => {
  const app = (status: ArgoApplication['status']): ArgoApplication => ({
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: { destination: { namespace: 'shop' } },
    status
  })
  const op = (revision: string, phase: string) => ({
    phase,
    operation: { sync: { revision } },
    syncResult: { revision }
  })
  test('its history lists the commit, and a later sync runs another: superseded at once', () => {
    const s = argoStage(
      app({
        sync: { status: 'OutOfSync', revision: B },
        operationState: op(B, 'Running'),
        history: [
          { id: 1, revision: OLD },
          { id: 2, revision: A }
        ]
      }),
      'argocd/shop',
      want
    )
    expect(s).toMatchObject({ phase: 'superseded', wanted: A.slice(0, 7), by: B })
    expect(s.phase === 'superseded' && s.evidence).toMatch(/history shows 9a8b7c6 applied, then 5b6c7d8/)
  })
  test('this wait saw the sync of the commit, then one of another: superseded', () => {
    const s = argoStage(
      app({ sync: { status: 'OutOfSync', revision: B }, operationState: op(B, 'Running') }),
      'argocd/shop',
      want,
      [OLD, A]
    )
    expect(s).toMatchObject({ phase: 'superseded', by: B })
  })
  test('two commits and neither history nor the wait orders them: waiting, and what was seen is said', () => {
    const s = argoStage(
      app({ sync: { status: 'Synced', revision: B }, operationState: op(B, 'Succeeded') }),
      'argocd/shop',
      want,
      [OLD]
    )
    expect(s.phase).toBe('waiting')
    expect(s.phase === 'waiting' && s.seen).toMatch(/1f2e3d4 → 5b6c7d8 .*never to 9a8b7c6/)
  })
  test('at the commit, with the commit last in its history: applied', () => {
    const s = argoStage(
      app({
        sync: { status: 'Synced', revision: A },
        operationState: op(A, 'Succeeded'),
        history: [
          { id: 1, revision: OLD },
          { id: 2, revision: A }
        ]
      }),
      'argocd/shop',
      want,
      [OLD, A]
    )
    expect(s.phase).toBe('applied')
  })
})

describe('Flux', () => {
  const ks = (status: FluxKustomization['status']): FluxKustomization => ({
    metadata: { name: 'apps', namespace: 'flux-system', generation: 1 },
    status: { observedGeneration: 1, ...status }
  })
  const progressing = [
    { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' }
  ]
  test('applied the commit, now attempting another: superseded (its own status orders them)', () => {
    const s = fluxStage(
      ks({
        lastAppliedRevision: `main@sha1:${A}`,
        lastAttemptedRevision: `main@sha1:${B}`,
        conditions: progressing
      }),
      'flux-system/apps',
      want
    )
    expect(s).toMatchObject({ phase: 'superseded', by: `main@sha1:${B}` })
  })
  test('attempted the commit (seen by this wait), then another: superseded', () => {
    const s = fluxStage(
      ks({
        lastAppliedRevision: `main@sha1:${OLD}`,
        lastAttemptedRevision: `main@sha1:${B}`,
        conditions: progressing
      }),
      'flux-system/apps',
      want,
      [`main@sha1:${OLD}`, `main@sha1:${A}`]
    )
    expect(s).toMatchObject({ phase: 'superseded', by: `main@sha1:${B}` })
  })
  test('another commit attempted, the wanted one never seen: waiting', () => {
    const s = fluxStage(
      ks({
        lastAppliedRevision: `main@sha1:${OLD}`,
        lastAttemptedRevision: `main@sha1:${B}`,
        conditions: progressing
      }),
      'flux-system/apps',
      want,
      [`main@sha1:${OLD}`]
    )
    expect(s.phase).toBe('waiting')
    expect(s.phase === 'waiting' && s.seen).toMatch(/1f2e3d4 → 5b6c7d8/)
  })
})

test('Helm: a higher revision than the one the step made is superseded; a lower one is waited for', () => {
  const rev = (version: number, status = 'deployed') => ({
    object: `sh.helm.release.v1.web.v${version}`,
    version,
    status
  })
  expect(helmStage('web', 'shop', rev(5, 'pending-upgrade'), undefined, 4)).toMatchObject({
    phase: 'superseded',
    wanted: '4',
    by: '5'
  })
  expect(helmStage('web', 'shop', rev(3), undefined, 4).phase).toBe('waiting')
})

test('the wait ends at once with both revisions; the verdict is neither a failure nor a success', async () => {
  let t = 0
  const o = await waitForStage({
    tool: 'argocd',
    timeoutMs: 60_000,
    graceMs: 5_000,
    read: async () => ({
      phase: 'superseded',
      status: 'OutOfSync, Healthy at 5b6c7d8',
      wanted: '9a8b7c6',
      by: B,
      evidence: 'its history shows 9a8b7c6 applied, then 5b6c7d8'
    }),
    now: () => t,
    sleep: async ms => {
      t += ms
    }
  })
  expect(o).toMatchObject({ end: 'superseded', elapsedMs: 0 })
  expect(o.end !== 'applied' && o.reason).toBe(
    'Argo CD applied 5b6c7d8 after 9a8b7c6, the revision this step waits for (its history shows 9a8b7c6 applied, then 5b6c7d8): 9a8b7c6 was superseded before it could be verified'
  )
  expect(VERDICT.superseded).toMatchObject({ exitCode: 5, deploymentState: 'inactive' })
  expect(VERDICT.superseded.rank).toBeGreaterThan(VERDICT['not-found'].rank)
  expect(VERDICT.superseded.rank).toBeLessThan(VERDICT.timeout.rank)
})

describe('after the workloads’ verdict, the tool is read once more', () => {
  const base = (verdict: 'success' | 'crash-loop'): Report => ({
    ...inputReport('', 'deployment/web', 'shop'),
    verdict,
    reason: verdict === 'success' ? 'deployment/web rolled out: 1/1 new pods Ready' : 'container web crashes',
    gitops: {
      tool: 'argocd',
      object: 'Argo CD Application argocd/shop',
      namespace: 'argocd',
      name: 'shop',
      wanted: '9a8b7c6',
      applied: A,
      appliedAt: 1,
      status: 'Synced, Healthy at 9a8b7c6',
      workloads: ['deployment/web -n shop']
    }
  })
  const moved = {
    read: async (): Promise<StageState> => ({
      phase: 'superseded',
      status: 'OutOfSync, Progressing at 5b6c7d8; last sync Running',
      wanted: '9a8b7c6',
      by: B,
      evidence: 'its history shows 9a8b7c6 applied, then 5b6c7d8'
    })
  }
  test('a success for a revision the tool moved past meanwhile is superseded, naming what the pods showed', async () => {
    const r = await lookAgain(base('success'), moved, 'argocd', Date.now())
    expect(r.verdict).toBe('superseded')
    expect(r.reason).toMatch(
      /^Argo CD applied 5b6c7d8 after 9a8b7c6, .*; the workloads had shown: deployment\/web rolled out/
    )
    expect(r.gitops?.supersededBy).toBe(B)
    expect(outputsOf(r)['applied-revision']).toBe(B)
  })
  test('a failure stays the verdict, with a note; a tool still at the revision changes nothing', async () => {
    const r = await lookAgain(base('crash-loop'), moved, 'argocd', Date.now())
    expect(r).toMatchObject({
      verdict: 'crash-loop',
      reason: 'container web crashes (then Argo CD moved on to 5b6c7d8)'
    })
    const still = {
      read: async (): Promise<StageState> => ({
        phase: 'applied',
        status: 'Synced',
        workloads: [],
        others: 0
      })
    }
    expect(await lookAgain(base('success'), still, 'argocd', Date.now())).toEqual(base('success'))
  })
})
