// Watches that wake the loop when the Deployment or its pods change, restarted after drops and 410 Gone.
import type { KubeApi } from './api.js'

export interface WatchTarget {
  path: string
  query: () => Record<string, string | undefined> | undefined
}

export class Wakeups {
  private stops: (() => void)[] = []
  private live = new Set<string>()
  private stopped = false

  constructor(
    private readonly api: KubeApi,
    private readonly wake: () => void
  ) {}

  get isLive(): boolean {
    return this.live.size > 0
  }

  /** Starts a watch once `query()` gives its parameters; keeps it running until stop(). */
  add(t: WatchTarget): void {
    let delay = 500
    let rv: string | undefined
    const start = async (): Promise<void> => {
      if (this.stopped) return
      const q = t.query()
      if (!q) {
        setTimeout(() => void start(), 500).unref()
        return
      }
      let alive = true
      const restart = (): void => {
        alive = false
        this.live.delete(t.path)
        if (this.stopped) return
        setTimeout(() => void start(), delay).unref()
        delay = Math.min(10_000, delay * 2)
      }
      try {
        const stop = await this.api.watch(
          t.path,
          {
            ...q,
            ...((rv ?? q.resourceVersion) ? { resourceVersion: rv ?? q.resourceVersion } : {}),
            allowWatchBookmarks: 'true',
            timeoutSeconds: '300'
          },
          (type, obj) => {
            const meta = (obj as { metadata?: { resourceVersion?: string } })?.metadata
            if (type === 'ERROR') {
              rv = undefined // 410 Gone: start again from the next list's resourceVersion
              return
            }
            if (meta?.resourceVersion) rv = meta.resourceVersion
            this.live.add(t.path)
            delay = 500
            if (type !== 'BOOKMARK') this.wake()
          },
          () => restart()
        )
        if (alive) this.live.add(t.path)
        this.stops.push(stop)
      } catch {
        restart()
      }
    }
    void start()
  }

  stop(): void {
    this.stopped = true
    for (const s of this.stops) {
      try {
        s()
      } catch {
        // already closed
      }
    }
  }
}
