// The soak phase's loop on a clock of its own: it ends at the soak's end or the deadline, whichever comes first,
// and it reads only when woken or every 2 s (no extra polling).
import { readFileSync } from 'node:fs'
import { decide } from '../../src/verdict/decide.js'
import { readSettings } from '../../src/inputs.js'
import { soakAfter } from '../../src/soak.js'
import type { Snapshot } from '../../src/kube/snapshot.js'
import type { Outcome } from '../../src/wait.js'

const FIXTURE = '__tests__/fixtures/snapshots/success-rolling-update-of-3-replicas-to-the-built-digest.json'
const BUILT = 'sha256:d1864540c44317880193e9178dd89a68cc2e559ed500d599de0471b86fb22412'
const ready = (): Snapshot => {
  const steps = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { snapshot: Snapshot }[]
  return structuredClone(steps[steps.length - 1]!.snapshot)
}
const settings = readSettings(n => ({ workload: 'deployment/web', 'expected-digest': BUILT })[n] ?? '')
const decideIt = (s: Snapshot) => decide(s, { digest: settings.digest! })

function success(elapsedMs: number): Outcome {
  const d = decideIt(ready())
  return {
    verdict: 'success',
    reason: d.reason,
    diagnosis: d,
    elapsedMs,
    history: [{ at: elapsedMs / 1000, verdict: 'success', reason: d.reason }],
    timeline: [{ at: elapsedMs / 1000, text: 'rollout complete' }],
    apiErrors: 0,
    reads: 5
  }
}

/** A clock that moves only when the loop sleeps or reads. */
function clock() {
  let t = 1_000_000
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms
    },
    tick: (ms: number) => (t += ms)
  }
}

test('a soak that holds: success with its words, reads about every 2 s, timeline and report', async () => {
  const c = clock()
  let reads = 0
  const { outcome, soak } = await soakAfter(success(3_000), {
    soakMs: 60_000,
    timeoutMs: 600_000,
    label: 'deployment/web',
    read: async () => (reads++, ready()),
    decide: decideIt,
    sleep: c.sleep,
    now: c.now
  })
  expect(outcome.verdict).toBe('success')
  expect(outcome.reason).toMatch(/; held 60s: 0 restarts, 3 pods, all on the built sha256:d1864540c443$/)
  expect(outcome.elapsedMs).toBe(63_000)
  expect(reads).toBe(30)
  expect(outcome.timeline.map(t => t.text)).toEqual([
    'rollout complete',
    'soak: watching the new pods for 60s after Ready',
    'soak held 60s: 0 restarts, 3 pods, all on the built sha256:d1864540c443'
  ])
  expect(soak).toEqual({ seconds: 60, heldSeconds: 60, podsAtReady: 3, podsAtEnd: 3, joined: 0, restarts: 0 })
})

test('a restart 20 s after Ready: crash-loop at once, with the time after Ready', async () => {
  const c = clock()
  const start = c.now()
  const { outcome, soak } = await soakAfter(success(3_000), {
    soakMs: 60_000,
    timeoutMs: 600_000,
    label: 'deployment/web',
    read: async () => {
      const s = ready()
      if (c.now() - start >= 20_000) {
        const cs = s.pods[0]!.status!.containerStatuses![0]!
        cs.restartCount = 1
        cs.lastState = { terminated: { exitCode: 1, reason: 'Error' } }
      }
      // The previous container's log is read a moment later (the thorough read after the failure).
      if (c.now() - start > 20_000) s.logs = { 'web-5f84fffc94-bbbbg/web': 'FATAL: pool exhausted\n' }
      return s
    },
    decide: decideIt,
    sleep: c.sleep,
    now: c.now
  })
  expect(outcome.verdict).toBe('crash-loop')
  expect(outcome.reason).toBe(
    'deployment/web rolled out, then failed its 60s soak 20s after Ready: pod/web-5f84fffc94-bbbbg container web restarted; last exit: Error (exit 1)'
  )
  expect(outcome.diagnosis?.findings[0]).toMatchObject({
    cause: 'crash',
    severity: 'error',
    detail: ['FATAL: pool exhausted']
  })
  // Seen at 20 s; the evidence read waits 2 s at most (this clock has no watch to wake it).
  expect(outcome.elapsedMs).toBe(25_000)
  expect(soak.failure).toEqual({
    event: 'restart',
    pod: 'web-5f84fffc94-bbbbg',
    container: 'web',
    afterReadySeconds: 20
  })
  expect(outcome.timeline.at(-1)!.text).toMatch(/^soak failed 20s after Ready: /)
})

test('less time left than the soak: the deadline ends it, as timeout that says so', async () => {
  const c = clock()
  const { outcome, soak } = await soakAfter(success(50_000), {
    soakMs: 30_000,
    timeoutMs: 60_000,
    label: 'deployment/web',
    read: async () => ready(),
    decide: decideIt,
    sleep: c.sleep,
    now: c.now
  })
  expect(outcome.verdict).toBe('timeout')
  expect(outcome.reason).toBe(
    'the deadline ended the 30s soak after 10s: deployment/web rolled out with 10s of the timeout left, and nothing failed while it was watched, but the soak did not finish; timeout covers the rollout and the soak, so raise it by at least 20s'
  )
  expect(outcome.elapsedMs).toBe(60_000)
  expect(outcome.timeline[1]!.text).toBe(
    'soak: watching the new pods for 30s after Ready; only 10s are left before the deadline'
  )
  expect(soak).toMatchObject({ cutShort: true, heldSeconds: 10 })
})

test('API trouble during the soak is retried, never a verdict', async () => {
  const c = clock()
  let n = 0
  const errors: string[] = []
  const { outcome } = await soakAfter(success(1_000), {
    soakMs: 10_000,
    timeoutMs: 600_000,
    label: 'deployment/web',
    read: async () => {
      if (n++ % 2 === 0) throw new Error('connection reset')
      return ready()
    },
    decide: decideIt,
    sleep: c.sleep,
    now: c.now,
    onApiError: m => errors.push(m)
  })
  expect(outcome.verdict).toBe('success')
  expect(outcome.apiErrors).toBeGreaterThan(0)
  expect(errors[0]).toBe('connection reset')
})
