// The soak on the real control plane, through the bundle as the runner runs it: a pod that fails 20 s after
// Ready (crash-loop with a soak, success without), and scale-ups during a soak (a pod on another digest: stale;
// on the built one: success that says so).
import { expectStory } from '../helpers/real-story.js'
import { soakStories } from '../../testcluster/stories/index.js'
import { realCluster, STORY_WORLD, runStory, type RealCluster } from '../../testcluster/real/harness.js'
import type { Report } from '../../src/report/report.js'

let c: RealCluster

beforeAll(async () => {
  c = await realCluster(STORY_WORLD)
}, 120_000)

afterAll(async () => {
  await c?.stop()
})

const story = (name: RegExp) => soakStories().find(s => name.test(s.name))!

test('a crash 20 s after Ready ends a 60s soak as crash-loop, before the soak would end', async () => {
  const s = story(/^crash-loop: with soak/)
  const r = await runStory(c, s)
  expectStory(s, r)
  const report = JSON.parse(r.run.outputs.report!) as Report
  // The crash comes 20 story-seconds after Ready, on the world's clock; the soak did not run to its end.
  expect(r.verdictAt).toBeGreaterThanOrEqual(20)
  expect(report.soak).toMatchObject({
    seconds: 60,
    failure: { event: expect.stringMatching(/crash|restart/) }
  })
  expect(report.soak!.heldSeconds).toBeLessThan(60)
  expect(report.findings[0]).toMatchObject({ cause: 'crash', verdict: 'crash-loop', container: 'web' })
  // The crashed run's log lines, read after the failure was seen.
  expect(report.findings[0]!.detail).toContain(
    'FATAL: connection pool exhausted: 20 of 20 connections in use (timeout 5000ms)'
  )
  expect(r.run.summary).toMatch(/soak: watching the new pods for 60s after Ready/)
  expect(r.run.summary).toMatch(/soak failed \d+(\.\d)?s after Ready/)
}, 150_000)

test('without soak the same rollout is a success at Ready', async () => {
  const s = story(/^success: without soak/)
  const r = await runStory(c, s)
  expectStory(s, r)
  expect(JSON.parse(r.run.outputs.report!)).not.toHaveProperty('soak')
}, 150_000)

test('readiness lost during the soak for longer than the probe period is unhealthy, with the probe message', async () => {
  const s = story(/^unhealthy: with soak/)
  const r = await runStory(c, s)
  expectStory(s, r)
  const report = JSON.parse(r.run.outputs.report!) as Report
  expect(report.soak).toMatchObject({ seconds: 30, failure: { event: 'readiness-lost' } })
  expect(report.findings[0]).toMatchObject({ cause: 'probe', verdict: 'unhealthy' })
  expect(report.findings[0]!.detail?.join('\n')).toMatch(/HTTP probe failed with statuscode: 503/)
}, 150_000)

test('a scale-up during the soak whose new pod runs another digest is stale', async () => {
  const s = story(/^stale: during the soak/)
  const r = await runStory(c, s)
  expectStory(s, r)
  const report = JSON.parse(r.run.outputs.report!) as Report
  expect(report.soak).toMatchObject({ podsAtReady: 2, joined: 1, failure: { event: 'other-digest' } })
  expect(report.findings[0]).toMatchObject({ cause: 'digest-mismatch', verdict: 'stale' })
}, 150_000)

test('a clean soak with a scale-up is a success that says what it held', async () => {
  const s = story(/^success: a 30s soak/)
  const r = await runStory(c, s)
  expectStory(s, r)
  const report = JSON.parse(r.run.outputs.report!) as Report
  expect(report.soak).toMatchObject({ seconds: 30, heldSeconds: 30, podsAtReady: 2, podsAtEnd: 4, joined: 2 })
  expect(report.soak).not.toHaveProperty('failure')
  expect(r.run.summary).toMatch(/soak held 30s: 0 restarts, 2 → 4 pods/)
}, 150_000)
