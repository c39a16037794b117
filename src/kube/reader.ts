// One read of the cluster for one workload: server-side selectors only, never a namespace-wide list.
import { ApiError, type KubeApi } from './api.js'
import { selectorString } from './selector.js'
import type { BuildEvidence, Snapshot } from './snapshot.js'
import type { Deployment, KEvent, Pod, ReplicaSet } from './types.js'
import { isPodReady } from '../verdict/pods.js'
import { newestReplicaSet } from '../verdict/rollout.js'

/** How many unready pods get their events read per poll: enough to diagnose, bounded for 1,000 replicas. */
const EVENT_SAMPLE = 3
const LOG_SAMPLE = 2
const LOG_TAIL = 20
const BUILD_LOG_TAIL = 200

/** The credentials were refused, or may not read the workload itself: no verdict can come from waiting. */
export class AccessError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

export interface ReaderTarget {
  namespace: string
  name: string
  build?: { namespace: string; name?: string; selector?: string }
}

function rbacHint(verb: string, resource: string, group: string, namespace: string): string {
  return `allow ${verb} on ${group ? resource + '.' + group : resource} in namespace ${namespace}`
}

export class SnapshotReader {
  /** Previous-container logs already read, by `pod/container/restartCount`: they do not change. */
  private logCache = new Map<string, string>()
  private buildLogFinal?: string
  /** resourceVersions from the last lists, for watches to start from. */
  lastRv: { deployments?: string; pods?: string } = {}
  selector = ''

  constructor(
    private readonly api: KubeApi,
    private readonly target: ReaderTarget
  ) {}

  private async optional<T>(
    what: string,
    hint: string,
    unreadable: string[],
    fn: () => Promise<T>
  ): Promise<T | undefined> {
    try {
      return await fn()
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        unreadable.push(`${what}: forbidden (${hint})`)
        return undefined
      }
      throw e
    }
  }

  async read(): Promise<Snapshot> {
    const { namespace, name } = this.target
    const unreadable: string[] = []
    const snap: Snapshot = {
      takenAt: new Date().toISOString(),
      workload: { kind: 'Deployment', namespace, name },
      deployment: null,
      replicaSets: [],
      pods: [],
      events: [],
      logs: {},
      unreadable
    }
    // The build pod and the workload are read side by side; both must settle before anything throws.
    const [buildResult, depResult] = await Promise.allSettled([
      this.target.build ? this.readBuild(unreadable) : Promise.resolve(undefined),
      this.api.get<Deployment>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`)
    ])
    if (buildResult.status === 'rejected') throw buildResult.reason
    let dep: Deployment | null = null
    try {
      if (depResult.status === 'rejected') throw depResult.reason
      dep = depResult.value
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      if (e.status === 404) dep = null
      else if (e.status === 401)
        throw new AccessError(`the API server refused the credentials (401 Unauthorized): ${e.message}`, 401)
      else if (e.status === 403)
        throw new AccessError(
          `${e.message} (${rbacHint('get, list and watch', 'deployments', 'apps', namespace)})`,
          403
        )
      else throw e
    }
    if (buildResult.value) snap.build = buildResult.value
    if (!dep) return snap
    snap.deployment = dep
    this.lastRv.deployments = dep.metadata.resourceVersion
    this.selector = selectorString(dep.spec?.selector)
    const rsList = await this.api.list<ReplicaSet>(`/apis/apps/v1/namespaces/${namespace}/replicasets`, {
      labelSelector: this.selector
    })
    snap.replicaSets = rsList.items
    const newRs = newestReplicaSet(dep, snap.replicaSets)
    if (newRs) {
      const hash = newRs.metadata.labels?.['pod-template-hash']
      const podSel = hash ? `${this.selector},pod-template-hash=${hash}` : this.selector
      const pods = await this.api.list<Pod>(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: podSel })
      this.lastRv.pods = pods.resourceVersion
      snap.pods = pods.items
    }
    const unready = snap.pods.filter(p => !isPodReady(p)).slice(0, EVENT_SAMPLE)
    const subjects: { kind: string; name: string; uid?: string }[] = unready.map(p => ({
      kind: 'Pod',
      name: p.metadata.name,
      uid: p.metadata.uid
    }))
    if (newRs && (newRs.status?.replicas ?? 0) < (newRs.spec?.replicas ?? 0))
      subjects.push({ kind: 'ReplicaSet', name: newRs.metadata.name, uid: newRs.metadata.uid })
    const hint = rbacHint('list', 'events', '', namespace)
    const eventLists = await Promise.all(
      subjects.map(s =>
        this.optional('events', hint, unreadable, () =>
          this.api.list<KEvent>(`/api/v1/namespaces/${namespace}/events`, {
            fieldSelector: s.uid
              ? `involvedObject.uid=${s.uid}`
              : `involvedObject.kind=${s.kind},involvedObject.name=${s.name}`
          })
        )
      )
    )
    snap.events = eventLists.flatMap(l => l?.items ?? [])
    snap.logs = await this.previousLogs(snap.pods, unreadable)
    return snap
  }

  private async previousLogs(pods: Pod[], unreadable: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    const crashed = pods
      .flatMap(p => (p.status?.containerStatuses ?? []).map(cs => ({ p, cs })))
      .filter(({ cs }) => (cs.restartCount ?? 0) > 0 && cs.lastState?.terminated)
      .slice(0, LOG_SAMPLE)
    for (const { p, cs } of crashed) {
      const key = `${p.metadata.name}/${cs.name}/${cs.restartCount}`
      let text = this.logCache.get(key)
      if (text === undefined) {
        text = await this.optional(
          'pod logs',
          rbacHint('get', 'pods/log', '', this.target.namespace),
          unreadable,
          () =>
            this.api.text(`/api/v1/namespaces/${this.target.namespace}/pods/${p.metadata.name}/log`, {
              container: cs.name,
              previous: true,
              tailLines: LOG_TAIL
            })
        ).catch(e => {
          if (e instanceof ApiError && e.status === 400) return '' // no previous container (yet)
          throw e
        })
        if (text === undefined) continue
        this.logCache.set(key, text)
      }
      if (text) out[`${p.metadata.name}/${cs.name}`] = text
    }
    return out
  }

  private async readBuild(unreadable: string[]): Promise<BuildEvidence> {
    const b = this.target.build!
    const ref = b.name ?? b.selector ?? ''
    const ev: BuildEvidence = { namespace: b.namespace, ref, pod: null }
    const hint = rbacHint('get and list', 'pods', '', b.namespace)
    let pod: Pod | null | undefined
    if (b.name) {
      pod = await this.optional('build pod', hint, unreadable, () =>
        this.api.get<Pod>(`/api/v1/namespaces/${b.namespace}/pods/${b.name}`)
      ).catch(e => {
        if (e instanceof ApiError && e.status === 404) return null
        throw e
      })
    } else {
      const list = await this.optional('build pod', hint, unreadable, () =>
        this.api.list<Pod>(`/api/v1/namespaces/${b.namespace}/pods`, { labelSelector: b.selector })
      )
      pod =
        list?.items.sort((x, y) =>
          (y.metadata.creationTimestamp ?? '').localeCompare(x.metadata.creationTimestamp ?? '')
        )[0] ?? null
    }
    ev.pod = pod ?? null
    if (!pod) return ev
    if (this.buildLogFinal !== undefined) {
      ev.log = this.buildLogFinal
      return ev
    }
    const statuses = pod.status?.containerStatuses ?? []
    const container = statuses.find(c => /kaniko|build/i.test(c.name))?.name ?? pod.spec?.containers[0]?.name
    if (!statuses.some(c => c.state?.running || c.state?.terminated)) return ev
    const log = await this.optional(
      'build pod log',
      rbacHint('get', 'pods/log', '', b.namespace),
      unreadable,
      () =>
        this.api.text(`/api/v1/namespaces/${b.namespace}/pods/${pod.metadata.name}/log`, {
          container,
          tailLines: BUILD_LOG_TAIL
        })
    ).catch(e => {
      if (e instanceof ApiError && e.status === 400) return undefined
      throw e
    })
    if (log !== undefined) {
      ev.log = log
      const ended = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
      if (ended) this.buildLogFinal = log
    }
    return ev
  }
}
