// The wait loop on a fake clock: grace, deadline, API errors, most specific diagnosis.
import { Waker, waitForVerdict } from '../../src/wait.js'
import { ApiError, TransportError } from '../../src/kube/api.js'
import { AccessError } from '../../src/kube/access.js'
import type { Snapshot } from '../../src/kube/snapshot.js'
import type { Diagnosis } from '../../src/verdict/types.js'

function clock() {
  let t = 0
  return { now: () => t, sleep: async (ms: number) => void (t += Math.max(1, ms)) }
}
const snap = {} as Snapshot
const diag = (
  verdict: Diagnosis['verdict'],
  finality: Diagnosis['finality'] = 'at-deadline',
  reason: string = verdict
): Diagnosis =>
  ({
    verdict,
    finality,
    reason,
    findings: [],
    running: [],
    replicas: { desired: 1, updated: 1, ready: 0, available: 0 },
    pods: [],
    warnings: [],
    unreadable: [],
    waitingFor: 'pods'
  }) as Diagnosis

test('a final diagnosis ends the wait at once', async () => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 60_000,
    graceMs: 5000,
    read: async () => snap,
    decide: () => diag('success', 'final')
  })
  expect(o).toMatchObject({ verdict: 'success', reads: 1 })
})

test('after-grace ends once it held for the grace, not before', async () => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 60_000,
    graceMs: 5000,
    read: async () => snap,
    decide: () => diag('stale', 'after-grace')
  })
  expect(o.verdict).toBe('stale')
  expect(o.elapsedMs).toBeGreaterThanOrEqual(5000)
  expect(o.elapsedMs).toBeLessThan(8000)
})

test('a transient state is reported at the deadline with its diagnosis', async () => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 30_000,
    graceMs: 5000,
    read: async () => snap,
    decide: () => diag('scheduling')
  })
  expect(o.verdict).toBe('scheduling')
  expect(o.elapsedMs).toBeGreaterThanOrEqual(30_000)
})

test('still converging at the deadline: timeout, naming what it waited for and what it saw earlier', async () => {
  const c = clock()
  let n = 0
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 30_000,
    graceMs: 5000,
    read: async () => snap,
    decide: () => (n++ < 2 ? diag('scheduling', 'at-deadline', 'Insufficient memory') : diag('progressing'))
  })
  expect(o.verdict).toBe('timeout')
  expect(o.reason).toMatch(/waiting for pods; earlier at .*Insufficient memory/)
})

test('API errors are retried and never become the verdict; Retry-After is honoured', async () => {
  const c = clock()
  let n = 0
  const sleeps: number[] = []
  const o = await waitForVerdict({
    now: c.now,
    sleep: async ms => {
      sleeps.push(ms)
      await c.sleep(ms)
    },
    timeoutMs: 60_000,
    graceMs: 5000,
    read: async () => {
      n++
      if (n === 1) throw new ApiError(429, 'TooManyRequests', 'slow down', 3)
      if (n < 5) throw new TransportError('reset', 'ECONNRESET')
      return snap
    },
    decide: () => diag('success', 'final')
  })
  expect(o).toMatchObject({ verdict: 'success', apiErrors: 4 })
  expect(sleeps[0]).toBeGreaterThanOrEqual(3000)
})

test('refused credentials end the wait at once as unreachable', async () => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 60_000,
    graceMs: 5000,
    read: async () => {
      throw new AccessError('401', 401)
    },
    decide: () => diag('success', 'final')
  })
  expect(o).toMatchObject({ verdict: 'unreachable', elapsedMs: 0 })
})

test('never read at all: unreachable at the deadline', async () => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 20_000,
    graceMs: 5000,
    read: async () => {
      throw new TransportError('connect ECONNREFUSED', 'ECONNREFUSED')
    },
    decide: () => diag('success', 'final')
  })
  expect(o.verdict).toBe('unreachable')
  expect(o.reason).toMatch(/ECONNREFUSED/)
})

describe('Waker: decisions on the event, bursts coalesced by the cost of a decision', () => {
  const settled = (p: Promise<void>): Promise<boolean> =>
    Promise.race([p.then(() => true), new Promise<boolean>(r => setTimeout(() => r(false), 30))])

  test('the first change after a quiet spell ends the sleep at once, not at the poll', async () => {
    const w = new Waker()
    const woke = w.sleep(60_000)
    w.wake()
    expect(await settled(woke)).toBe(true)
  })

  test('a change that arrives while the loop reads or decides is not lost: the next sleep ends at once', async () => {
    const w = new Waker()
    w.wake()
    expect(await settled(w.sleep(60_000))).toBe(true)
  })

  test('within a burst the next decision waits for the window, a few times what the last one cost', async () => {
    let t = 0
    const w = new Waker(() => t)
    w.spent(25) // a 1,000-pod decision: a 100 ms window
    const first = w.sleep(60_000)
    w.wake()
    await first // decided at t = 0
    t = 10
    const second = w.sleep(60_000)
    w.wake() // 10 ms later: the rest of the window, 90 ms
    expect(await settled(second)).toBe(false)
    await second
    w.spent(0.1) // three pods: no window to speak of
    t = 20
    const third = w.sleep(60_000)
    w.wake()
    expect(await settled(third)).toBe(true)
  })
})
