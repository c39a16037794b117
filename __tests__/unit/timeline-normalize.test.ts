// A recorded timeline normalizes to the same file however the recording was named and timed: the same input
// gives the same output, and two recordings that differ only in namespaces, uids, generated suffixes, event
// names, container IDs and the wall clock give identical files; the file format gives back what it was given.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  formatTimeline,
  parseTimeline,
  recordedTimelines,
  RECORDED
} from '../../testcluster/timeline/files.js'
import { normalize } from '../../testcluster/timeline/normalize.js'
import { EPOCH, type Timeline } from '../../testcluster/timeline/timeline.js'

const HEX = (seed: number): string => seed.toString(16).repeat(64).slice(0, 64)

/** A small raw capture as the real control plane writes it, named and timed by the arguments. */
function raw(ns: string, uid: (n: number) => string, suffix: string, start: number): Timeline {
  const iso = (s: number): string => new Date(start + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const micro = (s: number): string => new Date(start + s * 1000).toISOString().replace(/Z$/, '000Z')
  const pod = `web-5f84fffc94-${suffix}`
  const managed = { managedFields: [{ manager: 'kube-controller-manager', operation: 'Update' }] }
  const podObj = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: pod,
      generateName: 'web-5f84fffc94-',
      namespace: ns,
      uid: uid(3),
      resourceVersion: String(start % 1000),
      creationTimestamp: iso(0),
      labels: { app: 'web', 'pod-template-hash': '5f84fffc94' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5f84fffc94', uid: uid(2) }],
      ...managed
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'registry.example.com/shop/web:1.4.2' }] },
    status: {
      phase: 'Running',
      podIP: `10.0.0.${start % 200}`,
      containerStatuses: [
        {
          name: 'web',
          restartCount: 1,
          state: { running: { startedAt: iso(2) } },
          lastState: { terminated: { exitCode: 1, containerID: `containerd://${HEX(start)}` } }
        }
      ]
    }
  }
  return {
    story: 'crash-loop: a story',
    expect: 'crash-loop',
    verdict: 'crash-loop',
    realReason: `pod/${pod} (web): container web is in CrashLoopBackOff`,
    timeout: '8s',
    inputs: { workload: 'deployment/web', namespace: ns, 'build-namespace': `${ns}-ci` },
    namespaces: { app: ns, build: `${ns}-ci` },
    storyStart: start,
    entries: [
      {
        at: -0.42,
        op: 'put',
        obj: {
          kind: 'Deployment',
          metadata: { name: 'web', namespace: ns, uid: uid(1), generation: 2, ...managed },
          spec: {}
        }
      },
      { at: 0.31, op: 'put', obj: podObj },
      {
        at: 0.58,
        op: 'put',
        obj: {
          kind: 'Event',
          metadata: { name: `${pod}.${(start * 1e6).toString(16)}`, namespace: ns, uid: uid(4) },
          involvedObject: { kind: 'Pod', namespace: ns, name: pod, uid: uid(3), resourceVersion: '4711' },
          reason: 'BackOff',
          message: `Back-off restarting failed container web in pod ${pod}_${ns}(${uid(3)})`,
          eventTime: micro(0.5)
        }
      },
      {
        at: 0.6,
        op: 'put',
        obj: {
          kind: 'Event',
          metadata: { name: `web.${start.toString(16)}`, namespace: ns, uid: uid(5) },
          involvedObject: { kind: 'Deployment', namespace: ns, name: 'web', uid: uid(1) },
          reason: 'ScalingReplicaSet',
          message: 'never read by the action'
        }
      },
      { at: 1.04, op: 'delete', obj: podObj }
    ],
    logs: [{ at: 0.7, namespace: ns, pod, container: 'web', lines: ['Error: ECONNREFUSED'], restarted: true }]
  }
}

const uidA = (n: number): string => `6f1c0d9e-2b7a-4c11-9d3e-00000000000${n}`
const uidB = (n: number): string => `a0b1c2d3-e4f5-4a6b-8c7d-${String(n).repeat(12)}`
const first = raw('crash-loop-a-story-3', uidA, 'x9c5h', Date.parse('2026-12-06T17:52:28.250Z'))
const second = raw('crash-loop-a-story-11', uidB, 'qgx47', Date.parse('2026-12-07T09:01:02.250Z'))

test('the same input gives the same output, and the input is left as it was', () => {
  const before = structuredClone(first)
  expect(formatTimeline(normalize(first))).toBe(formatTimeline(normalize(first)))
  expect(first).toEqual(before)
})

test('two recordings differing only in names, uids and the clock normalize to the same file', () => {
  expect(formatTimeline(normalize(second))).toBe(formatTimeline(normalize(first)))
})

test("what normalize makes of a recording: the stand-in's names, counted uids, the fixed epoch, no bookkeeping", () => {
  const t = normalize(first)
  expect(t.namespaces).toEqual({ app: 'shop', build: 'ci' })
  expect(t.inputs).toEqual({ workload: 'deployment/web', namespace: 'shop', 'build-namespace': 'ci' })
  expect(t.storyStart).toBe(EPOCH)
  expect(t.entries.map(e => e.at)).toEqual([-0.4, 0.3, 0.6, 1])
  const pod = t.entries[1]!.obj
  expect(pod.metadata).toEqual({
    name: 'web-5f84fffc94-bbbbc',
    namespace: 'shop',
    uid: '00000000-0000-4000-a000-000000000002',
    creationTimestamp: '2000-01-01T00:00:00Z',
    labels: { app: 'web', 'pod-template-hash': '5f84fffc94' },
    ownerReferences: [
      { kind: 'ReplicaSet', name: 'web-5f84fffc94', uid: '00000000-0000-4000-a000-000000000003' }
    ]
  })
  expect(JSON.stringify(pod.status)).not.toMatch(/podIP/)
  expect(JSON.stringify(pod.status)).toContain(`containerd://${'0'.repeat(63)}1`)
  const event = t.entries[2]!.obj
  expect(event.metadata.name).toBe('web-5f84fffc94-bbbbc.0000000000000001')
  expect(event.message).toBe(
    'Back-off restarting failed container web in pod web-5f84fffc94-bbbbc_shop(00000000-0000-4000-a000-000000000002)'
  )
  expect(event.eventTime).toBe('2000-01-01T00:00:00.500000Z')
  expect(event.involvedObject).not.toHaveProperty('resourceVersion')
  expect(t.entries.map(e => e.obj.kind)).toEqual(['Deployment', 'Pod', 'Event', 'Pod'])
  expect(t.logs).toEqual([
    {
      at: 0.7,
      namespace: 'shop',
      pod: 'web-5f84fffc94-bbbbc',
      container: 'web',
      lines: ['Error: ECONNREFUSED'],
      restarted: true
    }
  ])
  expect(t.realReason).toBe('pod/web-5f84fffc94-bbbbc (web): container web is in CrashLoopBackOff')
  expect(JSON.stringify(t)).not.toMatch(/managedFields|resourceVersion|crash-loop-a-story-3/)
})

test('the file gives back the timeline it was given, to the order of each object’s keys', () => {
  const t = normalize(first)
  const changed = structuredClone(t)
  // A later write of the pod: a status field changes, a key is added before another, one is removed.
  const again = structuredClone(changed.entries[1]!)
  again.at = 0.9
  again.obj.status = { reason: 'Evicted', ...(again.obj.status as object), phase: 'Failed' }
  delete again.obj.metadata.labels
  // And before it, one item of a list changes (a container restarts).
  const restarted = structuredClone(changed.entries[1]!)
  restarted.at = 0.8
  ;(
    restarted.obj.status as { containerStatuses: { restartCount: number }[] }
  ).containerStatuses[0]!.restartCount = 2
  changed.entries.splice(3, 0, restarted, again)
  // A deletion is stored by name: reading it back gives the object's last written version, which replay needs
  // only the kind, namespace and name of.
  const comparable = (x: Timeline): string =>
    JSON.stringify({
      ...x,
      entries: x.entries.map(e => (e.op === 'delete' ? { ...e, obj: e.obj.metadata.name } : e))
    })
  for (const x of [t, changed]) expect(comparable(parseTimeline(formatTimeline(x)))).toBe(comparable(x))
  expect(formatTimeline(changed)).toMatch(/"op":"change"/)
  expect(formatTimeline(changed)).toMatch(/"\$items":\{"0":\{"restartCount":2\}\}/)
})

test("a StatefulSet's pod keeps its ordinal: only a random suffix of a generated name is replaced", () => {
  const t = structuredClone(first)
  const sts = { kind: 'Pod', metadata: { name: 'db-2', generateName: 'db-', namespace: t.namespaces.app } }
  t.entries = [{ at: 0, op: 'put', obj: sts }, ...t.entries]
  const names = normalize(t).entries.map(e => e.obj.metadata.name)
  expect(names.slice(0, 3)).toEqual(['db-2', 'web', 'web-5f84fffc94-bbbbc'])
})

test('each committed timeline reads back to the same file (its changes are stored the one way the format writes)', () => {
  const files = recordedTimelines()
  expect(files.length).toBeGreaterThan(0)
  for (const { file, timeline } of files)
    expect({ file, text: formatTimeline(timeline) }).toEqual({
      file,
      text: readFileSync(join(RECORDED, file), 'utf8')
    })
})

test("a node the autoscaler added loses its random suffix; the world's own nodes keep their names", () => {
  const t = structuredClone(first)
  const pod = t.entries[1]!.obj as unknown as { spec: { nodeName: string } }
  pod.spec.nodeName = 'general-pool-hc13w'
  const text = formatTimeline(normalize(t))
  expect(text).toContain('"nodeName":"general-pool-bbbbc"')
  expect(text).not.toContain('hc13w')
  expect(formatTimeline(normalize(first))).toContain('"nodeName":"node-1"')
})
