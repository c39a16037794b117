// The list+watch caches one reader follows: its own, or, when one step verifies several workloads, the pool's
// (one list and one watch per kind and namespace for all of them). Stopping the reader stops its own caches and
// leaves the pool's to the readers still using them.
import type { KubeApi } from './api.js'
import { Collection, type CollectionPool } from './collection.js'

type Named = { metadata: { name: string } }

export class ReaderCaches {
  private all: Collection<Named>[] = []
  private pooled = new Set<unknown>()

  constructor(
    private readonly api: KubeApi,
    private readonly onChange: () => void,
    private readonly pool?: CollectionPool
  ) {}

  /** A cache of this reader's own. */
  own<T extends Named>(path: string, query: Record<string, string>, trim?: (o: T) => T): Collection<T> {
    const c = new Collection<T>(this.api, path, query, this.onChange, { trim })
    this.all.push(c as unknown as Collection<Named>)
    return c
  }

  /** The pool's cache of `path` queried by `pooled` where there is a pool; else one of its own queried by `alone`. */
  shareable<T extends Named>(
    path: string,
    pooled: Record<string, string>,
    alone: Record<string, string>
  ): Collection<T> {
    if (!this.pool) return this.own<T>(path, alone)
    const c = this.pool.get<T>(path, pooled, this.onChange)
    this.pooled.add(c)
    this.all.push(c as unknown as Collection<Named>)
    return c
  }

  /** Every cache has a live watch: changes arrive as they happen. */
  get watchLive(): boolean {
    return this.all.every(c => c.watchLive)
  }

  /** Stops following one cache (its query changed). */
  drop(c: { stop: () => void } | undefined): void {
    if (!c) return
    this.release(c)
    this.all = this.all.filter(x => x !== (c as unknown))
  }

  stop(): void {
    this.all.forEach(c => this.release(c))
  }

  private release(c: { stop: () => void }): void {
    if (this.pooled.has(c)) this.pool!.release(c, this.onChange)
    else c.stop()
  }
}
