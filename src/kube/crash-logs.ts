// The log lines that explain a crash: a few crashed containers' last lines, bounded in lines and bytes, read once
// per container restart.
import { rbacHint, unlessForbidden } from './access.js'
import { ApiError, type KubeApi } from './api.js'
import { crashedContainers } from './pod.js'
import type { Pod } from './types.js'

const LOG_SAMPLE = 2
const LOG_TAIL = 20
/** Log reads are bounded in bytes too: one log line can be 50 MB. */
const LOG_BYTES = 64 * 1024

export class CrashLogs {
  /** By `pod/container/restartCount/previous`: a container's log is read again only after it restarts. */
  private cache = new Map<string, string>()

  constructor(
    private readonly api: KubeApi,
    private readonly namespace: string
  ) {}

  /** Keyed `pod/container`; a log that may not be read is noted in `unreadable`. */
  async read(pods: Pod[], unreadable: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    // A restarted container's previous log; or, where nothing restarts (Jobs, init containers of
    // restartPolicy Never pods), the log of the container that exited non-zero.
    const crashed = pods
      .flatMap(p => crashedContainers(p).map(c => ({ p, cs: c.status, previous: c.previous })))
      .slice(0, LOG_SAMPLE)
    for (const { p, cs, previous } of crashed) {
      const key = `${p.metadata.name}/${cs.name}/${cs.restartCount}/${previous}`
      let text = this.cache.get(key)
      if (text === undefined) {
        text = await this.fetch(p.metadata.name, cs.name, previous, unreadable)
        if (text === undefined) continue
        this.cache.set(key, text)
      }
      if (text) out[`${p.metadata.name}/${cs.name}`] = text
    }
    return out
  }

  private fetch(
    pod: string,
    container: string,
    previous: boolean,
    unreadable: string[]
  ): Promise<string | undefined> {
    return unlessForbidden('pod logs', rbacHint('get', 'pods/log', '', this.namespace), unreadable, () =>
      this.api.text(`/api/v1/namespaces/${this.namespace}/pods/${pod}/log`, {
        container,
        previous,
        tailLines: LOG_TAIL,
        limitBytes: LOG_BYTES
      })
    ).catch(e => {
      if (e instanceof ApiError && e.status === 400) return '' // no previous container (yet)
      throw e
    })
  }
}
