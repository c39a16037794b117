// While a pod waits for capacity, its events are watched (one list and one watch), not re-read: a long stall costs
// no request, and the autoscaler's answer reaches the next read as soon as it is written. With deploy/rbac.yaml's
// older grant (list on events, no watch) the reader re-reads them as before. On the stand-in API server, with the
// reader's own clock.
import { readFileSync } from 'node:fs'
import { KubeApi } from '../../src/kube/api.js'
import { KubeConfig } from '../../src/kube/client-node.js'
import { SnapshotReader } from '../../src/kinds/reader.js'
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { rulesFor } from '../../testcluster/rbac.js'
import { NS, Scenario, play, type Playback } from '../../testcluster/stories/stand-in.js'
import { after, playAtOnce, recorded, until } from '../../testcluster/timeline/edit.js'

const USER = 'system:serviceaccount:ci:deployer'

// Recorded on the real control plane (the seeds' story): once the build has pushed, the new pod fits no node; the
// scheduler's first FailedScheduling at 6.4 s, the cluster-autoscaler's TriggeredScaleUp at 6.9 s.
const SEEDS = recorded('success-the-seeds-timeline-build-pushes-at-90-s-autoscaler-a')
const STALLS = 6.4
const SCALES_UP = 6.9

/**
 * The story up to the pod's first FailedScheduling, played at once, so that nothing else is written while the test
 * reads; `scaleUp` plays the autoscaler's answer when the test chooses.
 */
async function stalled(eventVerbs?: string[]): Promise<{ pb: Playback; scaleUp: () => void; api: KubeApi }> {
  const pb = await play(new Scenario('the seeds: the new pod waits for a node'), { quiet: true })
  const zero = Date.now() - STALLS * 1000
  playAtOnce(pb.world, until(SEEDS, STALLS), zero)
  const scaleUp = (): void => void playAtOnce(pb.world, until(after(SEEDS, STALLS), SCALES_UP), zero)
  const rules = rulesFor(readFileSync('deploy/rbac.yaml', 'utf8'), USER).map(r =>
    eventVerbs && r.resources.includes('events') ? { ...r, verbs: eventVerbs } : r
  )
  const kc = new KubeConfig()
  kc.loadFromString(kubeconfigYaml(pb.server, { token: pb.server.addToken({ user: USER, rules }) }))
  return { pb, scaleUp, api: new KubeApi(kc) }
}

/** Reads until `ok` holds, each read after a change the reader signalled (or 50 ms). */
async function readUntil(
  reader: SnapshotReader,
  ok: (reasons: string[]) => boolean,
  woke: { next: Promise<void> }
): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const reasons = (await reader.read()).events.map(e => e.reason ?? '')
    if (ok(reasons)) return reasons
    await Promise.race([woke.next, new Promise(r => setTimeout(r, 50))])
  }
  throw new Error('the events never arrived')
}

function wakeups(): { next: Promise<void>; fire: () => void } {
  const w = { next: Promise.resolve(), fire: () => undefined as void }
  const arm = (): void => {
    w.next = new Promise<void>(r => (w.fire = () => (r(), arm())))
  }
  arm()
  return w
}

test("a stalled pod's events: one list and one watch, nothing more while it stalls; new events arrive on the watch", async () => {
  const { pb, scaleUp, api } = await stalled()
  let clock = 1_000_000
  const woke = wakeups()
  const reader = new SnapshotReader(
    api,
    { kind: 'Deployment', name: 'web', namespace: NS },
    () => woke.fire(),
    () => clock
  )
  try {
    expect((await reader.read()).events).toEqual([]) // just seen unready: no events read yet
    clock += 3_000
    await readUntil(reader, r => r.includes('FailedScheduling'), woke)
    const after = api.requests
    // A long stall: reads every few seconds of the reader's clock cost nothing.
    for (let i = 0; i < 10; i++) {
      clock += 3_000
      await reader.read()
    }
    expect(api.requests).toBe(after)
    scaleUp()
    const reasons = await readUntil(reader, r => r.includes('TriggeredScaleUp'), woke)
    expect(reasons).toContain('FailedScheduling')
    expect(api.requests).toBe(after)
    expect(pb.server.byClient.get('kube-verdict')?.get('watch events')?.requests ?? 0).toBeLessThanOrEqual(1)
  } finally {
    reader.stop()
    await pb.stop()
  }
})

test('where events may be listed but not watched, they are re-read as before, and nothing is reported unreadable', async () => {
  const { pb, scaleUp, api } = await stalled(['list'])
  let clock = 1_000_000
  const woke = wakeups()
  const reader = new SnapshotReader(
    api,
    { kind: 'Deployment', name: 'web', namespace: NS },
    () => woke.fire(),
    () => clock
  )
  try {
    await reader.read()
    clock += 3_000
    await readUntil(reader, r => r.includes('FailedScheduling'), woke)
    scaleUp()
    let snap = await reader.read()
    for (let i = 0; i < 20 && !snap.events.some(e => e.reason === 'TriggeredScaleUp'); i++) {
      clock += 3_000
      await new Promise(r => setTimeout(r, 20)) // as the wait loop sleeps between reads: the refusal arrives
      snap = await reader.read()
    }
    expect(snap.events.map(e => e.reason)).toContain('TriggeredScaleUp')
    expect(snap.unreadable).toEqual([])
    const counts = pb.server.byClient.get('kube-verdict')
    expect(counts?.get('list events')?.requests).toBeGreaterThanOrEqual(2)
  } finally {
    reader.stop()
    await pb.stop()
  }
})
