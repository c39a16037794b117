// A cluster never reached once gives up after a quarter of timeout (at most a minute), with its cause; trouble
// after the first successful read, or answers that are errors, are retried to the deadline as before.
import { neverReachedLimitMs, waitForVerdict } from '../../src/wait.js'
import { ApiError, TransportError } from '../../src/kube/api.js'
import type { Snapshot } from '../../src/kube/snapshot.js'
import type { Diagnosis } from '../../src/verdict/types.js'

function clock() {
  let t = 0
  return { now: () => t, sleep: async (ms: number) => void (t += Math.max(1, ms)) }
}
const snap = {} as Snapshot
const progressing: Diagnosis = {
  verdict: 'progressing',
  finality: 'at-deadline',
  reason: 'waiting',
  findings: [],
  running: [],
  replicas: { desired: 1, updated: 1, ready: 0, available: 0 },
  pods: [],
  warnings: [],
  unreadable: [],
  waitingFor: 'pods'
}

const failing = (make: () => Error) => async (): Promise<Snapshot> => {
  throw make()
}

test('the rule: a quarter of timeout, at most a minute', () => {
  expect(neverReachedLimitMs(600_000)).toBe(60_000)
  expect(neverReachedLimitMs(20_000)).toBe(5_000)
})

test.each([
  ['connection refused', () => new TransportError('127.0.0.1:6443: connect ECONNREFUSED', 'ECONNREFUSED')],
  ['DNS', () => new TransportError('getaddrinfo ENOTFOUND api.example', 'ENOTFOUND')],
  [
    'TLS',
    () => new TransportError('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')
  ],
  [
    'a failing exec plugin',
    () => new Error('ERROR: (gcloud.auth) You do not currently have an active account selected.\n')
  ]
])('never reached (%s): unreachable after a minute of a 10m timeout, with the cause', async (_n, make) => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 600_000,
    graceMs: 15_000,
    read: failing(make),
    decide: () => progressing
  })
  expect(o.verdict).toBe('unreachable')
  expect(o.elapsedMs).toBeGreaterThanOrEqual(60_000)
  expect(o.elapsedMs).toBeLessThan(62_000)
  expect(o.reason).toContain(make().message.trim())
  expect(o.reason).toMatch(/never reached in 6\ds/)
})

test('no answer in time is not counted as never reached: retried to the deadline', async () => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 120_000,
    graceMs: 15_000,
    read: failing(() => new TransportError('no answer from 10.0.0.1 within 10s', 'ETIMEDOUT')),
    decide: () => progressing
  })
  expect(o.elapsedMs).toBeGreaterThanOrEqual(120_000)
  expect(o.reason).toMatch(/whole wait of 120s: no answer/)
})

test('a short timeout gives up after a quarter of it', async () => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 20_000,
    graceMs: 5_000,
    read: failing(() => new TransportError('connect ECONNREFUSED', 'ECONNREFUSED')),
    decide: () => progressing
  })
  expect(o.verdict).toBe('unreachable')
  expect(o.elapsedMs).toBeLessThan(7_000)
})

test('reached once, then refused: retried to the deadline as before', async () => {
  const c = clock()
  let n = 0
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 600_000,
    graceMs: 15_000,
    read: async () => {
      if (n++ === 0) return snap
      throw new TransportError('connect ECONNREFUSED', 'ECONNREFUSED')
    },
    decide: () => progressing
  })
  expect(o.elapsedMs).toBeGreaterThanOrEqual(600_000)
  expect(o.verdict).toBe('timeout')
})

test('an API that answers, even with 503, is reached: retried to the deadline', async () => {
  const c = clock()
  const o = await waitForVerdict({
    ...c,
    timeoutMs: 120_000,
    graceMs: 15_000,
    read: failing(() => new ApiError(503, 'ServiceUnavailable', 'etcd is down')),
    decide: () => progressing
  })
  expect(o.elapsedMs).toBeGreaterThanOrEqual(120_000)
  expect(o.verdict).toBe('unreachable')
  expect(o.reason).toMatch(/whole wait of 120s: API 503 ServiceUnavailable: etcd is down/)
})
