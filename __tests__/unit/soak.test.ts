// The soak's decision, pure: the state at Ready, then snapshots with the time after Ready → the failure, or the
// words of a soak that held. The snapshots are a recorded success (3 pods on the built digest), changed the way
// the kubelet, the eviction manager and a scale-up change them.
import { readFileSync } from 'node:fs'
import { decide } from '../../src/verdict/decide.js'
import { heldWords, observeSoak, podsUnknown, startSoak, type SoakState } from '../../src/verdict/soak.js'
import { readSettings } from '../../src/inputs.js'
import type { Snapshot } from '../../src/kube/snapshot.js'
import type { Pod } from '../../src/kube/types.js'

const FIXTURE = '__tests__/fixtures/snapshots/success-rolling-update-of-3-replicas-to-the-built-digest.json'
const BUILT = 'sha256:d1864540c44317880193e9178dd89a68cc2e559ed500d599de0471b86fb22412'
const OTHER = 'sha256:' + 'ee'.repeat(32)
const ready = (): Snapshot => {
  const steps = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { snapshot: Snapshot }[]
  return structuredClone(steps[steps.length - 1]!.snapshot)
}
const settings = readSettings(n => ({ workload: 'deployment/web', 'expected-digest': BUILT })[n] ?? '')
const opts = { digest: settings.digest! }

/** One pod of the snapshot, changed. */
function change(snap: Snapshot, i: number, f: (p: Pod) => void): Snapshot {
  f(snap.pods[i]!)
  return snap
}
const observe = (state: SoakState, snap: Snapshot, atMs: number) =>
  observeSoak(state, snap, decide(snap, opts), atMs)

/** A pod the ReplicaSet adds (an HPA scale-up or a replacement), running `digest`. */
function joiner(snap: Snapshot, name: string, digest: string, isReady = true): Pod {
  const p = structuredClone(snap.pods[0]!)
  p.metadata.name = name
  p.metadata.uid = `uid-${name}`
  const cs = p.status!.containerStatuses![0]!
  cs.imageID = `registry.example.com/shop/web@${digest}`
  cs.ready = isReady
  p.status!.conditions = p.status!.conditions!.map(c =>
    c.type === 'Ready' ? { ...c, status: isReady ? 'True' : 'False' } : c
  )
  return p
}

let start: SoakState
beforeAll(() => {
  const d = decide(ready(), opts)
  expect(d.verdict).toBe('success')
  start = startSoak(d)
})

test('nothing changes: no failure, and the words of a soak that held', () => {
  const snap = ready()
  const step = observe(start, snap, 5_000)
  expect(step.failure).toBeUndefined()
  expect(heldWords(step.state, decide(snap, opts), 60_000)).toBe(
    'held 60s: 0 restarts, 3 pods, all on the built sha256:d1864540c443'
  )
})

test('a restart after Ready (restartCount grew): crash-loop, with the exit and the time after Ready', () => {
  const snap = change(ready(), 1, p => {
    const cs = p.status!.containerStatuses![0]!
    cs.restartCount = 1
    cs.lastState = { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-23T19:38:58Z' } }
  })
  const step = observe(start, snap, 20_000)
  expect(step.failure).toMatchObject({
    event: 'restart',
    verdict: 'crash-loop',
    container: 'web',
    atMs: 20_000
  })
  expect(step.failure!.what).toBe(
    'pod/web-5f84fffc94-bbbbh container web restarted; last exit: Error (exit 1)'
  )
  expect(step.failure!.finding).toMatchObject({
    cause: 'crash',
    severity: 'error',
    subject: 'pod/web-5f84fffc94-bbbbh'
  })
})

test('a crash seen before the restart (terminated, exit 2) and OOMKilled are named', () => {
  const crashed = change(ready(), 0, p => {
    p.status!.containerStatuses![0]!.state = { terminated: { exitCode: 2, reason: 'Error' } }
  })
  expect(observe(start, crashed, 3_000).failure).toMatchObject({ event: 'crash', verdict: 'crash-loop' })
  const oom = change(ready(), 0, p => {
    const cs = p.status!.containerStatuses![0]!
    cs.restartCount = 1
    cs.state = { waiting: { reason: 'CrashLoopBackOff' } }
    cs.lastState = { terminated: { exitCode: 137, reason: 'OOMKilled' } }
  })
  const f = observe(start, oom, 45_000).failure!
  expect(f).toMatchObject({ event: 'oom-killed', verdict: 'crash-loop' })
  expect(f.what).toMatch(/was OOMKilled \(it exceeded its memory limit\); last exit: OOMKilled \(exit 137\)$/)
})

test('readiness lost: unhealthy only once it lasts longer than the probe period (10s by default)', () => {
  const lost = (): Snapshot =>
    change(ready(), 2, p => {
      // The recorded pod's probe says periodSeconds: 1; without one the kubelet's default applies.
      delete p.spec!.containers[0]!.readinessProbe
      p.status!.conditions = p.status!.conditions!.map(c =>
        c.type === 'Ready' ? { ...c, status: 'False' } : c
      )
    })
  const first = observe(start, lost(), 20_000)
  expect(first.failure).toBeUndefined()
  expect(first.recheckMs).toBe(10_001)
  expect(observe(first.state, lost(), 29_000).failure).toBeUndefined()
  // Back within the period: forgotten.
  const back = observe(first.state, ready(), 25_000)
  expect(back.failure).toBeUndefined()
  expect(observe(back.state, lost(), 31_000).failure).toBeUndefined()
  const f = observe(first.state, lost(), 30_500).failure!
  expect(f).toMatchObject({ event: 'readiness-lost', verdict: 'unhealthy', pod: 'web-5f84fffc94-bbbbj' })
  expect(f.what).toMatch(
    /lost readiness 20s after Ready and stayed not Ready for 10\.5s, longer than its readiness probe period \(10s\)/
  )
})

test('the probe period is the pod spec’s', () => {
  const lost = change(ready(), 2, p => {
    p.spec!.containers[0]!.readinessProbe = { periodSeconds: 1 }
    p.status!.conditions = p.status!.conditions!.map(c =>
      c.type === 'Ready' ? { ...c, status: 'False' } : c
    )
  })
  const first = observe(start, lost, 20_000)
  expect(first.recheckMs).toBe(1_001)
  expect(observe(first.state, lost, 21_500).failure?.event).toBe('readiness-lost')
})

test('an eviction: crash-loop, naming the node and the pressure', () => {
  const snap = change(ready(), 0, p => {
    p.status!.phase = 'Failed'
    p.status!.reason = 'Evicted'
    p.status!.message = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 88Mi. '
  })
  const f = observe(start, snap, 12_000).failure!
  expect(f).toMatchObject({ event: 'evicted', verdict: 'crash-loop' })
  expect(f.what).toBe('pod/web-5f84fffc94-bbbbg was evicted for memory pressure on node node-1 (Evicted)')
  expect(f.finding).toMatchObject({
    cause: 'replaced',
    facts: { reason: 'Evicted', pods: 1, nodes: ['node-1'] }
  })
})

test('a pod that joins (scale-up) running another digest: stale, naming when it joined', () => {
  const s1 = ready()
  s1.pods.push(joiner(s1, 'web-ffjcqwqr6m-zz001', OTHER, false))
  // Not pulled yet: nothing to say.
  s1.pods[3]!.status!.containerStatuses![0]!.imageID = ''
  const first = observe(start, s1, 25_000)
  expect(first.failure).toBeUndefined()
  const s2 = ready()
  s2.pods.push(joiner(s2, 'web-ffjcqwqr6m-zz001', OTHER))
  const f = observe(first.state, s2, 27_000).failure!
  expect(f).toMatchObject({ event: 'other-digest', verdict: 'stale', pod: 'web-ffjcqwqr6m-zz001' })
  expect(f.what).toMatch(
    /^pod\/web-ffjcqwqr6m-zz001 joined 25s after Ready \(a scale-up or a replacement\) and runs sha256:eeeeeeeeeeee in web, not the built sha256:d1864540c443/
  )
  expect(f.finding).toMatchObject({ cause: 'digest-mismatch', facts: { running: OTHER, built: BUILT } })
})

test('a clean scale-up and a scale-down are counted in the words', () => {
  const up = ready()
  up.pods.push(joiner(up, 'web-ffjcqwqr6m-zz001', BUILT), joiner(up, 'web-ffjcqwqr6m-zz002', BUILT))
  const step = observe(start, up, 10_000)
  expect(step.failure).toBeUndefined()
  expect(step.state.joined).toBe(2)
  expect(heldWords(step.state, decide(up, opts), 60_000)).toBe(
    'held 60s: 0 restarts, 3 → 5 pods, all on the built sha256:d1864540c443'
  )
  const down = ready()
  down.pods.pop()
  const after = observe(step.state, down, 30_000)
  expect(heldWords(after.state, decide(down, opts), 60_000)).toMatch(/3 → 2 pods/)
})

test('a pod that joins and crashes counts its restarts from 0', () => {
  const s = ready()
  const p = joiner(s, 'web-ffjcqwqr6m-zz001', BUILT)
  p.status!.containerStatuses![0]!.restartCount = 1
  p.status!.containerStatuses![0]!.lastState = { terminated: { exitCode: 1, reason: 'Error' } }
  s.pods.push(p)
  expect(observe(start, s, 8_000).failure).toMatchObject({ event: 'restart', pod: 'web-ffjcqwqr6m-zz001' })
})

test('a pod being deleted (scale-down) is neither a crash nor lost readiness', () => {
  const snap = change(ready(), 0, p => {
    p.metadata.deletionTimestamp = '2026-11-23T19:39:00Z'
    p.status!.containerStatuses![0]!.state = { terminated: { exitCode: 143, reason: 'Error' } }
    p.status!.conditions = p.status!.conditions!.map(c =>
      c.type === 'Ready' ? { ...c, status: 'False' } : c
    )
  })
  const step = observe(start, snap, 5_000)
  expect(step.failure).toBeUndefined()
  expect(observe(step.state, snap, 50_000).failure).toBeUndefined()
})

test('a pod missing from one read and back in the next has not joined', () => {
  const none = ready()
  none.pods = []
  const gap = observe(start, none, 4_000)
  const back = observe(gap.state, ready(), 5_000)
  expect(back.failure).toBeUndefined()
  expect(back.state.joined).toBe(0)
})

test('a read before the controller observed a scale-up names no pods: passed over', () => {
  const s = ready()
  s.object!.metadata.generation = (s.object!.metadata.generation ?? 1) + 1
  const d = decide(s, opts)
  expect(d.pods).toEqual([])
  expect(podsUnknown(d)).toBe(true)
  expect(podsUnknown(decide(ready(), opts))).toBe(false)
})
