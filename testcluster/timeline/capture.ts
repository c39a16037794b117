// Records a story on the real control plane as a timeline: a watch on each collection the action reads in the
// story's namespaces (from before setup, so every object's whole history is there and the stand-in computes the
// same generations), and the containers' logs read through the API as the action reads them.
import type { ActionRun } from '../run-action.js'
import { ApiError, Client, type Obj, type WatchEvent } from '../real/client.js'
import type { RealCluster, StoryObserver } from '../real/harness.js'
import type { RealStory, StoryNs } from '../stories/story.js'
import type { KObject } from '../shared/object.js'
import type { Entry, LogEntry, Timeline } from './timeline.js'

/** The collections the action reads (workloads, their ReplicaSets, pods and events; Jobs and build pods). */
const COLLECTIONS = [
  '/apis/apps/v1/namespaces/{ns}/deployments',
  '/apis/apps/v1/namespaces/{ns}/replicasets',
  '/apis/apps/v1/namespaces/{ns}/statefulsets',
  '/apis/apps/v1/namespaces/{ns}/daemonsets',
  '/apis/batch/v1/namespaces/{ns}/jobs',
  '/api/v1/namespaces/{ns}/pods',
  '/api/v1/namespaces/{ns}/events',
  // The custom resources of the kinds' stories, where their CRDs are installed (testcluster/real/controllers.ts).
  '/apis/serving.knative.dev/v1/namespaces/{ns}/services',
  '/apis/serving.knative.dev/v1/namespaces/{ns}/revisions',
  '/apis/argoproj.io/v1alpha1/namespaces/{ns}/rollouts',
  '/apis/serving.kserve.io/v1beta1/namespaces/{ns}/inferenceservices',
  '/apis/db.example.com/v1/namespaces/{ns}/databases'
]

/** How often running containers' logs are read besides each change of their pod (a build logs between them). */
const LOG_POLL_MS = 1000

interface Seen {
  ms: number
  rv: number
  op: Entry['op']
  obj: KObject
}

/** A container's logs at the last read: the current run's, and the run before (none before a restart). */
interface LogState {
  current: string[]
  previous?: string[]
}

export class Capture implements StoryObserver {
  private api?: Client
  private ns?: StoryNs
  private seen: Seen[] = []
  private logs: (Omit<LogEntry, 'at'> & { ms: number })[] = []
  private watches: { stop: () => void }[] = []
  private pods = new Map<string, Obj>()
  private logState = new Map<string, LogState>()
  private reading = new Map<string, Promise<void>>()
  private poll?: NodeJS.Timeout
  private stopped = false
  private timeline?: Timeline

  constructor(private readonly story: RealStory) {}

  async begin(c: RealCluster, ns: StoryNs): Promise<void> {
    // A connection pool of its own: its watches must not take the sockets the world's machines use.
    const admin = c.cp.admin
    this.api = new Client(admin.server, admin.caPem, admin.token)
    this.ns = ns
    for (const n of [ns.app, ns.build])
      for (const path of COLLECTIONS) await this.follow(path.replace('{ns}', n))
    this.poll = setInterval(() => this.pods.forEach(p => this.readLogs(p)), LOG_POLL_MS)
  }

  async end(storyStart: number, run: ActionRun): Promise<void> {
    this.stopped = true
    clearInterval(this.poll)
    await Promise.all(this.reading.values())
    this.watches.forEach(w => w.stop())
    this.api?.close()
    const at = (ms: number): number => Math.round(ms - storyStart) / 1000
    // etcd's revisions order the writes of every collection; the arrival times only place them in the story.
    const ordered = [...this.seen].sort((a, b) => a.rv - b.rv)
    let last = -Infinity
    const entries: Entry[] = ordered.map(s => {
      last = Math.max(last, at(s.ms))
      return { at: last, op: s.op, obj: s.obj }
    })
    const { name, expect, timeout, early, reason } = this.story
    this.timeline = {
      story: name,
      expect,
      verdict: run.outputs.verdict ?? '',
      ...(run.outputs.reason !== undefined ? { realReason: run.outputs.reason } : {}),
      timeout,
      ...(early ? { early: true as const } : {}),
      ...(reason ? { reason: reason.source } : {}),
      inputs: this.story.inputs(this.ns!),
      ...(run.outputsAt !== undefined ? { verdictAt: at(run.outputsAt) } : {}),
      namespaces: { ...this.ns! },
      storyStart,
      entries,
      logs: this.logs.map(({ ms, ...l }) => ({ at: at(ms), ...l }))
    }
  }

  /** The recorded timeline, once the story has ended. */
  result(): Timeline {
    if (!this.timeline) throw new Error('the story has not ended: no timeline yet')
    return this.timeline
  }

  /** Lists a collection (empty: the namespace is new) and watches it from the list's resourceVersion. */
  private async follow(path: string, from?: string): Promise<void> {
    let start = from
    if (start === undefined) {
      const list = await this.api!.raw('GET', path)
      if (list.code === 404) return // a custom resource whose CRD this cluster does not have
      if (list.code >= 300) throw new ApiError(list.code, list.text)
      start = (JSON.parse(list.text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion
    }
    let latest = start
    const w = this.api!.watch(
      `${path}?resourceVersion=${start}`,
      e => {
        if (e.type === 'BOOKMARK' || e.type === 'ERROR') return
        latest = e.object.metadata.resourceVersion ?? latest
        this.record(e)
      },
      () => {
        // The apiserver ends watches now and then: carry on from the last change seen.
        if (!this.stopped) setTimeout(() => void this.follow(path, latest), 100)
      }
    )
    this.watches.push(w)
  }

  private record(e: WatchEvent): void {
    if (this.stopped) return
    const obj = e.object as KObject
    const op = e.type === 'DELETED' ? 'delete' : 'put'
    this.seen.push({ ms: Date.now(), rv: Number(obj.metadata.resourceVersion), op, obj })
    if (obj.kind !== 'Pod') return
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`
    if (op === 'delete') this.pods.delete(key)
    else {
      this.pods.set(key, e.object)
      this.readLogs(e.object)
    }
  }

  /** Reads each started container's log, one read at a time per pod. */
  private readLogs(p: Obj): void {
    if (this.stopped) return
    const key = `${p.metadata.namespace}/${p.metadata.name}`
    const prior = this.reading.get(key) ?? Promise.resolve()
    const next = prior.then(async () => {
      const statuses: { name: string; restartCount?: number; state?: object }[] = [
        ...(p.status?.initContainerStatuses ?? []),
        ...(p.status?.containerStatuses ?? [])
      ]
      // A container that never started has no log yet.
      const started = statuses.filter(
        cs => (cs.restartCount ?? 0) > 0 || (cs.state && !('waiting' in cs.state))
      )
      for (const cs of started) await this.readLog(p, cs.name)
    })
    this.reading.set(
      key,
      next.catch(() => undefined)
    )
  }

  /**
   * Reads a container's current and previous log and writes what turns the last read's pair into this one: lines
   * appended, or a restart (the current log becoming the previous) with the new run's lines.
   */
  private async readLog(p: Obj, container: string): Promise<void> {
    const { namespace, name } = p.metadata
    const path = `/api/v1/namespaces/${namespace}/pods/${name}/log?container=${encodeURIComponent(container)}`
    const current = await this.text(path)
    if (current === undefined || this.stopped) return
    const previous = await this.text(`${path}&previous=true`)
    const key = `${namespace}/${name}/${container}`
    const was = this.logState.get(key) ?? { current: [] }
    const at = { ms: Date.now(), namespace: namespace!, pod: name, container }
    if (same(previous, was.previous) && startsWith(current, was.current)) {
      if (current.length > was.current.length)
        this.logs.push({ ...at, lines: current.slice(was.current.length) })
    } else {
      const prev = previous ?? []
      // The run before this one: the lines it logged after the last read, or all of it (restarts were missed).
      if (!startsWith(prev, was.current)) this.logs.push({ ...at, lines: prev, restarted: true })
      else if (prev.length > was.current.length)
        this.logs.push({ ...at, lines: prev.slice(was.current.length) })
      this.logs.push({ ...at, lines: current, restarted: true })
    }
    this.logState.set(key, { current, ...(previous ? { previous } : {}) })
  }

  /** A log's lines, or undefined where the kubelet has none (400: not started, no previous container). */
  private async text(path: string): Promise<string[] | undefined> {
    const r = await this.api!.raw('GET', path)
    if (r.code >= 300) return undefined
    return r.text === '' ? [] : r.text.replace(/\n$/, '').split('\n')
  }
}

function same(a: string[] | undefined, b: string[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && startsWith(a, b))
}

function startsWith(lines: string[], prefix: string[]): boolean {
  return prefix.every((l, i) => lines[i] === l)
}
