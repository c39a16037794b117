// The GitOps stage's loop on a fake clock: what ends it, and what it says at the deadline.
import { jest } from '@jest/globals'
import { ApiError, TransportError } from '../../src/kube/api.js'
import { AccessError } from '../../src/kube/access.js'
import { waitForStage } from '../../src/gitops/wait.js'
import type { StageState } from '../../src/gitops/stage.js'

function clock(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let t = 0
  return {
    now: () => t,
    sleep: async ms => {
      t += ms
    }
  }
}

const waiting: StageState = {
  phase: 'waiting',
  status: 'Synced, Healthy at 1f2e3d4',
  waitingFor:
    'Argo CD to apply revision 9a8b7c6 to Application argocd/shop (it is Synced, Healthy at 1f2e3d4)'
}

test('waiting until the deadline: timeout naming the revision it waited for', async () => {
  const o = await waitForStage({
    tool: 'argocd',
    timeoutMs: 30_000,
    graceMs: 5_000,
    read: async () => waiting,
    ...clock()
  })
  expect(o.end).toBe('timeout')
  expect(o.end !== 'applied' && o.reason).toMatch(
    /^deadline of 30s passed while waiting for Argo CD to apply revision 9a8b7c6/
  )
  expect(o.timeline).toEqual([{ at: 0, text: 'Argo CD: Synced, Healthy at 1f2e3d4' }])
})

test('applied after a while: the milestone says which revision, and when', async () => {
  const c = clock()
  const o = await waitForStage({
    tool: 'argocd',
    timeoutMs: 30_000,
    graceMs: 5_000,
    read: async () =>
      c.now() < 3_000
        ? waiting
        : {
            phase: 'applied',
            status: 'Synced, Progressing at 9a8b7c6',
            revision: '9a8b7c6d5e4f',
            workloads: [],
            others: 0
          },
    ...c
  })
  expect(o.end).toBe('applied')
  expect(o.timeline.map(t => t.text)).toContain('Argo CD applied 9a8b7c6')
})

test('a missing object is not-found only after the grace period', async () => {
  const c = clock()
  const o = await waitForStage({
    tool: 'flux-kustomization',
    timeoutMs: 60_000,
    graceMs: 5_000,
    read: async () => ({ phase: 'absent', status: 'Flux Kustomization flux-system/apps does not exist' }),
    ...c
  })
  expect(o.end).toBe('not-found')
  expect(c.now()).toBeGreaterThanOrEqual(5_000)
  expect(c.now()).toBeLessThan(8_000)
})

test('API trouble is retried; refused credentials end it as unreachable', async () => {
  let n = 0
  const o = await waitForStage({
    tool: 'helm',
    timeoutMs: 30_000,
    graceMs: 5_000,
    read: async () => {
      if (n++ < 3) throw new ApiError(503, 'ServiceUnavailable', 'etcd leader changed')
      return {
        phase: 'failed',
        status: 'revision 2: failed',
        revision: '2',
        message: 'Upgrade "web" failed: cannot patch'
      }
    },
    ...clock()
  })
  expect(o).toMatchObject({
    end: 'apply-failed',
    apiErrors: 3,
    reason: 'Helm could not apply revision 2: Upgrade "web" failed: cannot patch'
  })
  const denied = await waitForStage({
    tool: 'helm',
    timeoutMs: 30_000,
    graceMs: 5_000,
    read: async () => {
      throw new AccessError('secrets is forbidden (allow list on secrets in namespace shop)', 403)
    },
    ...clock()
  })
  expect(denied).toMatchObject({ end: 'unreachable' })
})

describe('on the one wait loop the workloads share', () => {
  afterEach(() => {
    jest.useRealTimers()
  })

  test("a deploy tool's object whose read hangs: each read is cut off, and the wait ends at its deadline", async () => {
    jest.useFakeTimers()
    let reads = 0
    const wait = waitForStage({
      tool: 'argocd',
      timeoutMs: 60_000,
      graceMs: 5_000,
      read: () => {
        reads++
        return new Promise<StageState>(() => {})
      }
    })
    await jest.advanceTimersByTimeAsync(61_000)
    const o = await wait
    expect(o).toMatchObject({ end: 'unreachable' })
    expect(o.end !== 'applied' && o.reason).toMatch(
      /^the cluster could not be read for the whole wait of 60s: a read did not finish within \d+s/
    )
    // Cut off at the read limit (20 s) and retried, not hung to the end.
    expect(reads).toBeGreaterThanOrEqual(3)
    expect(o.elapsedMs).toBeGreaterThanOrEqual(60_000)
    expect(o.elapsedMs).toBeLessThan(61_000)
  })

  test('a cluster never reached is given up on after a quarter of the timeout, as for workloads', async () => {
    const c = clock()
    const o = await waitForStage({
      tool: 'flux-kustomization',
      timeoutMs: 60_000,
      graceMs: 5_000,
      read: async () => {
        throw new TransportError('connect ECONNREFUSED 10.0.0.1:6443', 'ECONNREFUSED')
      },
      ...c
    })
    expect(o.end).toBe('unreachable')
    expect(o.end !== 'applied' && o.reason).toMatch(/never reached in 1[56]s/)
    expect(c.now()).toBeLessThan(17_000)
  })
})

test('at the deadline, commits the tool went through that nothing orders against the awaited one are named', async () => {
  const c = clock()
  const o = await waitForStage({
    tool: 'argocd',
    timeoutMs: 10_000,
    graceMs: 2_000,
    read: async () => ({
      ...waiting,
      seen: 'went 1f2e3d4 → 5b6c7d8 during the wait and never to 9a8b7c6; nothing it shows orders these commits, so 5b6c7d8 may be older, or newer and include it'
    }),
    ...c
  })
  expect(o.end !== 'applied' && o.reason).toMatch(
    /\(it is Synced, Healthy at 1f2e3d4\); Argo CD went 1f2e3d4 → 5b6c7d8 during the wait and never to 9a8b7c6; /
  )
})
