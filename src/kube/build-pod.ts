// The build pod named by the step (Kaniko as a pod or a Job's pod): the newest match, and its log once it ended.
import { rbacHint, unlessForbidden } from './access.js'
import { ApiError, type KubeApi } from './api.js'
import type { ReaderCaches } from './caches.js'
import type { Collection } from './collection.js'
import { hasEnded } from './pod.js'
import type { BuildEvidence } from './snapshot.js'
import type { Pod } from './types.js'

const BUILD_LOG_TAIL = 200
/** Log reads are bounded in bytes too: one log line can be 50 MB. */
const BUILD_LOG_BYTES = 1024 * 1024

/** The build-pod input: by name, or the newest pod of a label selector. */
export interface BuildRef {
  namespace: string
  name?: string
  selector?: string
}

export class BuildPod {
  private readonly pods: Collection<Pod>
  private log?: { pod: string; text: string }

  constructor(
    private readonly api: KubeApi,
    private readonly ref: BuildRef,
    caches: ReaderCaches
  ) {
    const query: Record<string, string> = ref.name
      ? { fieldSelector: `metadata.name=${ref.name}` }
      : { labelSelector: ref.selector ?? '' }
    this.pods = caches.shareable<Pod>(`/api/v1/namespaces/${ref.namespace}/pods`, query, query)
  }

  /** The build pod and, once it has ended, its log; what may not be read is noted in `unreadable`. */
  async read(unreadable: string[]): Promise<BuildEvidence> {
    const b = this.ref
    const ev: BuildEvidence = { namespace: b.namespace, ref: b.name ?? b.selector ?? '', pod: null }
    const hint = rbacHint('get, list and watch', 'pods', '', b.namespace)
    const synced = await unlessForbidden('build pod', hint, unreadable, () =>
      this.pods.sync().then(() => true)
    )
    if (!synced) return ev
    const pod = this.pods.objects.sort((x, y) =>
      (y.metadata.creationTimestamp ?? '').localeCompare(x.metadata.creationTimestamp ?? '')
    )[0]
    if (!pod) return ev
    ev.pod = pod
    // Kaniko pushes and exits within moments: the log is read once, when the build has ended.
    if (!hasEnded(pod)) return ev
    if (this.log?.pod !== pod.metadata.uid) {
      const text = await this.fetchLog(pod, unreadable)
      if (text === undefined) return ev
      this.log = { pod: pod.metadata.uid ?? pod.metadata.name, text }
    }
    ev.log = this.log?.text
    return ev
  }

  private fetchLog(pod: Pod, unreadable: string[]): Promise<string | undefined> {
    const ns = this.ref.namespace
    const container =
      (pod.status?.containerStatuses ?? []).find(c => /kaniko|build/i.test(c.name))?.name ??
      pod.spec?.containers[0]?.name
    return unlessForbidden('build pod log', rbacHint('get', 'pods/log', '', ns), unreadable, () =>
      this.api.text(`/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`, {
        container,
        tailLines: BUILD_LOG_TAIL,
        limitBytes: BUILD_LOG_BYTES
      })
    ).catch(e => {
      if (e instanceof ApiError && (e.status === 400 || e.status === 404)) return undefined
      throw e
    })
  }
}
