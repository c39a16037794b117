// The events a diagnosis needs, at a bounded cost: those of a few pods (and a ReplicaSet short of pods) that have
// stayed unready past a moment, watched while they stall, or re-read less often the longer they stall where RBAC
// grants list but not watch.
import { rbacHint, unlessForbidden } from './access.js'
import type { KubeApi } from './api.js'
import { Collection } from './collection.js'
import { isPodReady } from './pod.js'
import type { KEvent, Pod, ReplicaSet } from './types.js'

/** How many unready pods get their events read: enough to diagnose, bounded for 1,000 replicas. */
const EVENT_SAMPLE = 3
/** A pod unready for less than this is taken as starting up: no events are read for it yet. */
const EVENTS_AFTER_MS = 2_000
/** Where events may not be watched, a stalled pod's are re-read less often the longer it stalls, between these bounds. */
const EVENTS_REFRESH_MIN_MS = 3_000
const EVENTS_REFRESH_MAX_MS = 30_000
/** Events of one object read at most this many pages of 500: a hostile cluster can hold 100,000. */
const EVENT_PAGES = 2

type Subject = { uid: string; since: number }

export class EventSampler {
  /** Events of stalled subjects, by uid: watched, or re-read where watching them is forbidden (polled). */
  private caches = new Map<string, Collection<KEvent>>()
  private polled = false
  private events = new Map<string, { at: number; items: KEvent[] }>()
  private unreadySince = new Map<string, number>()

  constructor(
    private readonly api: KubeApi,
    private readonly namespace: string,
    private readonly onChange: () => void,
    private readonly now: () => number
  ) {}

  /** `thorough`: read the events of every unready pod now (the last read before the deadline). */
  async read(
    pods: Pod[],
    newRs: ReplicaSet | undefined,
    unreadable: string[],
    thorough: boolean
  ): Promise<KEvent[]> {
    const { subjects, current } = this.stalled(pods, newRs, thorough ? 0 : EVENTS_AFTER_MS)
    const sample = subjects.slice(0, EVENT_SAMPLE)
    const failed = this.polled
      ? await this.poll(sample, unreadable, thorough)
      : await this.watch(sample, current, unreadable)
    // API trouble on a side read: the snapshot goes on with what is cached, and the events are tried again soon.
    if (failed) setTimeout(this.onChange, 300).unref()
    for (const uid of this.events.keys()) if (!current.has(uid)) this.events.delete(uid)
    // A cache relisting after its watch failed keeps what it had: stale events beat none (a sandbox failure seen
    // three times must not vanish while the list is throttled).
    const watched = [...this.caches.values()].flatMap(c => c.objects)
    return [...watched, ...[...this.events.values()].flatMap(e => e.items)]
  }

  stop(): void {
    this.caches.forEach(c => c.stop())
    this.caches.clear()
  }

  /** The unready pods (and a ReplicaSet short of pods) unready for `after` ms or more: whose events to read. */
  private stalled(
    pods: Pod[],
    newRs: ReplicaSet | undefined,
    after: number
  ): { subjects: Subject[]; current: Set<string> } {
    const now = this.now()
    const subjects: Subject[] = []
    const current = new Set<string>()
    const unready = (uid: string): void => {
      current.add(uid)
      if (!this.unreadySince.has(uid)) this.unreadySince.set(uid, now)
      const since = this.unreadySince.get(uid)!
      if (now - since >= after) subjects.push({ uid, since })
    }
    for (const p of pods) {
      const uid = p.metadata.uid ?? p.metadata.name
      if (isPodReady(p)) {
        current.add(uid)
        this.unreadySince.delete(uid)
      } else unready(uid)
    }
    if (newRs && (newRs.status?.replicas ?? 0) < (newRs.spec?.replicas ?? 0))
      unready(newRs.metadata.uid ?? newRs.metadata.name)
    return { subjects, current }
  }

  private hint(): string {
    return rbacHint('list', 'events', '', this.namespace)
  }

  private eventsOf(uid: string): { path: string; query: Record<string, string> } {
    return {
      path: `/api/v1/namespaces/${this.namespace}/events`,
      query: { fieldSelector: `involvedObject.uid=${uid}` }
    }
  }

  /**
   * The sampled subjects' events through a list+watch each: while a pod waits for capacity, the autoscaler's and
   * the kubelet's words arrive as they are written, and a long stall costs no request. A subject that leaves the
   * sample keeps the events it had, unwatched, while it is current. Returns whether a read failed.
   */
  private async watch(
    sample: { uid: string }[],
    current: Set<string>,
    unreadable: string[]
  ): Promise<boolean> {
    const sampled = new Set(sample.map(s => s.uid))
    for (const [uid, c] of this.caches) {
      if (sampled.has(uid)) continue
      if (current.has(uid) && c.isSynced) this.events.set(uid, { at: this.now(), items: c.objects })
      c.stop()
      this.caches.delete(uid)
    }
    const refused = (): void => {
      // RBAC grants list on events but not watch (as deploy/rbac.yaml did before): re-read them instead.
      this.polled = true
      this.onChange()
    }
    const results = await Promise.allSettled(
      sample.map(async ({ uid }) => {
        let c = this.caches.get(uid)
        if (!c) {
          const { path, query } = this.eventsOf(uid)
          c = new Collection<KEvent>(this.api, path, query, this.onChange, {
            maxPages: EVENT_PAGES,
            onWatchRefused: refused
          })
          this.caches.set(uid, c)
          this.events.delete(uid)
        }
        await unlessForbidden('events', this.hint(), unreadable, () => c.sync())
      })
    )
    if (this.polled) {
      // What the lists read stays, as a re-read would have it.
      for (const [uid, c] of this.caches)
        if (c.isSynced) this.events.set(uid, { at: this.now(), items: c.objects })
      this.stop()
    }
    return results.some(r => r.status === 'rejected')
  }

  /** Where events may not be watched: re-read, less often the longer a subject stalls. Returns whether one failed. */
  private async poll(subjects: Subject[], unreadable: string[], thorough: boolean): Promise<boolean> {
    const now = this.now()
    const due = subjects.filter(s => {
      const cached = this.events.get(s.uid)
      const refresh = Math.min(EVENTS_REFRESH_MAX_MS, Math.max(EVENTS_REFRESH_MIN_MS, (now - s.since) / 4))
      return !cached || now - cached.at >= (thorough ? Math.min(refresh, 1000) : refresh)
    })
    const results = await Promise.allSettled(
      due.map(async s => {
        const { path, query } = this.eventsOf(s.uid)
        const list = await unlessForbidden('events', this.hint(), unreadable, () =>
          this.api.list<KEvent>(path, query, { maxPages: EVENT_PAGES })
        )
        if (list) this.events.set(s.uid, { at: now, items: list.items })
      })
    )
    return results.some(r => r.status === 'rejected')
  }
}
