// A list+watch cache of one query (an informer in miniature): one list, then a watch from its resourceVersion,
// re-watched from the last version seen when it drops and re-listed after 410 Gone. Reads cost no request.
import { ApiError, type KubeApi } from './api.js'

interface Obj {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string }
}

export interface CollectionOptions<T> {
  /** Keeps only what decisions read of each object. */
  trim?: (o: T) => T
  /** Bounds the list (pages of 500) and the cache: a hostile cluster can hold 100,000 events about one pod. */
  maxPages?: number
  /**
   * Called, and the watch given up (the cache keeps its list), when the watch is refused with 403: the caller
   * reads another way. Without it a refused watch is retried and the collection re-listed, as for any failure.
   */
  onWatchRefused?: () => void
  /** The list's Accept (metadata only: PartialObjectMetadataList); the watch's events are trimmed. */
  accept?: string
}

export class Collection<T extends Obj> {
  private items = new Map<string, T>()
  private rv?: string
  private synced = false
  private listing?: Promise<void>
  private stopWatch?: () => void
  private stopped = false
  private retryMs = 250
  /** Watches that failed in a row; past a few, the cache may have missed changes: list again. */
  private failures = 0
  /** The last error while listing; thrown by sync() until a list succeeds again. */
  private error?: unknown
  watchLive = false

  constructor(
    private readonly api: KubeApi,
    readonly path: string,
    readonly query: Record<string, string>,
    private readonly onChange: () => void,
    private readonly opts: CollectionOptions<T> = {}
  ) {}

  private trim(o: T): T {
    return this.opts.trim ? this.opts.trim(o) : o
  }

  private key(o: T): string {
    return `${o.metadata.namespace ?? ''}/${o.metadata.name}`
  }

  /** Lists once (or again after 410); throws the list's error so the caller can retry or give up. */
  async sync(): Promise<void> {
    if (this.synced) return
    this.listing ??= this.list().finally(() => (this.listing = undefined))
    await this.listing
    if (this.error) throw this.error
  }

  get objects(): T[] {
    return [...this.items.values()]
  }

  private get maxItems(): number {
    return this.opts.maxPages === undefined ? Infinity : this.opts.maxPages * 500
  }

  get isSynced(): boolean {
    return this.synced
  }

  private async list(): Promise<void> {
    try {
      const { items, resourceVersion } = await this.api.list<T>(this.path, this.query, {
        maxPages: this.opts.maxPages,
        ...(this.opts.accept ? { accept: this.opts.accept } : {}),
        ...(this.opts.trim ? { trim: this.opts.trim } : {})
      })
      this.items = new Map(items.map(o => [this.key(o), o]))
      this.rv = resourceVersion
      this.synced = true
      this.error = undefined
      this.retryMs = 250
      this.startWatch()
    } catch (e) {
      this.error = e
    }
  }

  private startWatch(): void {
    if (this.stopped) return
    this.stopWatch?.()
    let closed = false
    const restart = (gone: boolean, refused = false): void => {
      if (closed) return
      closed = true
      this.watchLive = false
      if (this.stopped) return
      if (refused && this.opts.onWatchRefused) return this.opts.onWatchRefused()
      if (gone || ++this.failures >= 3) {
        this.synced = false // the next sync() lists again, and a successful list restarts the watch
        this.failures = 0
        this.onChange() // wake the loop: its next read lists again
        return
      }
      setTimeout(() => this.startWatch(), this.retryMs).unref()
      this.retryMs = Math.min(5000, this.retryMs * 2)
    }
    this.api
      .watch(
        this.path,
        { ...this.query, resourceVersion: this.rv, allowWatchBookmarks: 'true', timeoutSeconds: '300' },
        (type, obj) => {
          const o = obj as T & { code?: number }
          if (type === 'ERROR') {
            restart(o.code === 410)
            return
          }
          this.watchLive = true
          this.retryMs = 250
          this.failures = 0
          if (o.metadata?.resourceVersion) this.rv = o.metadata.resourceVersion
          if (type === 'BOOKMARK') return
          const key = this.key(o)
          if (type === 'DELETED') this.items.delete(key)
          else if (this.items.has(key) || this.items.size < this.maxItems) this.items.set(key, this.trim(o))
          this.onChange()
        },
        err =>
          restart(
            err instanceof ApiError && err.status === 410,
            err instanceof ApiError && err.status === 403
          )
      )
      .then(
        stop => {
          this.stopWatch = stop
          if (closed) stop()
          else this.watchLive = true
        },
        () => restart(false)
      )
  }

  stop(): void {
    this.stopped = true
    this.stopWatch?.()
  }
}

/**
 * Caches shared by the readers of one step: with many workloads, one list and one watch per kind and
 * namespace serve them all. Each reader subscribes its wake-up; the last one out stops the watch.
 */
export class CollectionPool {
  private entries = new Map<string, { c: Collection<never>; listeners: Set<() => void> }>()

  constructor(private readonly api: KubeApi) {}

  get<T extends Obj>(path: string, query: Record<string, string>, onChange: () => void): Collection<T> {
    const key = `${path}?${new URLSearchParams(query).toString()}`
    let e = this.entries.get(key)
    if (!e) {
      const listeners = new Set<() => void>()
      e = { c: new Collection<never>(this.api, path, query, () => listeners.forEach(l => l())), listeners }
      this.entries.set(key, e)
    }
    e.listeners.add(onChange)
    return e.c as unknown as Collection<T>
  }

  release(c: unknown, onChange: () => void): void {
    for (const [key, e] of this.entries) {
      if (e.c !== c) continue
      e.listeners.delete(onChange)
      if (e.listeners.size === 0) {
        e.c.stop()
        this.entries.delete(key)
      }
    }
  }
}
