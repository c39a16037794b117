// Reads what the deploy tool wrote and hands it to the stage's pure decision. The tool's object (the Application,
// the Kustomization, Helm's release storage) is listed once and watched: a change wakes the wait, and a read of
// the cache costs no request. Where RBAC grants only get (list and watch refused), it is read with a GET each time.
// Helm's revisions are listed and watched as metadata only (labels, no release data); only the newest deployed or
// failed one is fetched and decoded, once per resourceVersion, and nothing of it but status, description and
// manifest is kept.
import { ApiError, type KubeApi } from '../kube/api.js'
import { Collection } from '../kube/collection.js'
import { fatal, rbacHint } from '../kube/access.js'
import { argoAttempt, argoStage, type ArgoApplication } from './argocd.js'
import { fluxStage, type FluxKustomization } from './flux.js'
import {
  decodeRelease,
  helmStage,
  needsRecord,
  newestRevision,
  storedRelease,
  type HelmRecord,
  type HelmRevision
} from './helm.js'
import { helmReleaseStage, storageOf, wantsRecord, type FluxHelmRelease } from './helmrelease.js'
import { OBJECT_KIND, type GitopsSource, type StageState } from './stage.js'
import { extendTrail } from './supersede.js'

const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'

interface Meta {
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> }
}

/** Only what the stage reads of a Helm storage object (its watch events carry the release data too). */
function metadataOnly(o: Meta): Meta {
  const m = o.metadata
  return {
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.labels ? { labels: m.labels } : {})
    }
  }
}

/** Where one source lives: the list to watch, and the GET when watching is not allowed. */
interface Where {
  list: string
  query: Record<string, string>
  get?: string
  plural: string
  group: string
  namespace: string
}

export class StageReader {
  private cached?: { key: string; record: HelmRecord }
  /** The revisions Argo CD or Flux was seen at by this wait's reads, oldest first: their order in time. */
  private trail: string[] = []
  /** The watched object or storage; undefined until the first read, or once list/watch was refused. */
  private watched?: Collection<Meta>
  /** List or watch refused (RBAC with get only): read with a request each time. */
  private polled = false

  constructor(
    private readonly api: KubeApi,
    private readonly source: GitopsSource,
    /** The step's namespace: Helm's release namespace when the source names none. */
    private readonly namespace: string,
    /** Called on each change of the watched object: wakes the wait. */
    private readonly onChange: () => void = () => {}
  ) {}

  /** The tool's object as fields: its namespace and name (the ones `object` shows). */
  get at(): { namespace: string; name: string } {
    const s = this.source
    return s.tool === 'helm'
      ? { namespace: this.namespace, name: s.release }
      : { namespace: s.namespace, name: s.name }
  }

  /** `Helm release shop/web`, `Argo CD Application argocd/shop`. */
  get object(): string {
    const s = this.source
    if (s.tool === 'helm') return `Helm release ${this.namespace}/${s.release}`
    return `${OBJECT_KIND[s.tool]} ${s.namespace}/${s.name}`
  }

  /** Stops the watch: after the last read of the step. */
  stop(): void {
    this.watched?.stop()
  }

  async read(): Promise<StageState> {
    const s = this.source
    if (s.tool === 'helm') return this.readHelm(s)
    if (s.tool === 'flux-helmrelease') return this.readHelmRelease(s)
    const argo = s.tool === 'argocd'
    const group = argo ? 'argoproj.io' : 'kustomize.toolkit.fluxcd.io'
    const plural = argo ? 'applications' : 'kustomizations'
    const list = `/apis/${group}/${argo ? 'v1alpha1' : 'v1'}/namespaces/${s.namespace}/${plural}`
    const where = { list, query: { fieldSelector: `metadata.name=${s.name}` }, plural, group }
    const objs = await this.objects({ ...where, get: `${list}/${s.name}`, namespace: s.namespace })
    const label = `${s.namespace}/${s.name}`
    if (argo) {
      const app = objs[0] as ArgoApplication | undefined
      const state = argoStage(app, label, s.revision, this.trail)
      this.trail = extendTrail(this.trail, argoAttempt(app))
      return state
    }
    const ks = objs[0] as FluxKustomization | undefined
    const state = fluxStage(ks, label, s.revision, this.trail)
    this.trail = extendTrail(this.trail, ks?.status?.lastAttemptedRevision)
    return state
  }

  /**
   * The source's objects: from the watched cache, else by a request. A missing object, or a CRD that is not
   * installed (404), is "not there (yet)".
   */
  private async objects(w: Where, accept?: string, trim?: (o: Meta) => Meta): Promise<Meta[]> {
    if (!this.polled) {
      this.watched ??= new Collection<Meta>(this.api, w.list, w.query, this.onChange, {
        trim,
        ...(accept ? { accept } : {})
      })
      try {
        await this.watched.sync()
        return this.watched.objects
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return []
        if (!(e instanceof ApiError && e.status === 403)) throw fatal(e, `the ${w.plural}`, hint('list', w))
        this.polled = true
        this.watched.stop()
        this.watched = undefined
      }
    }
    try {
      if (w.get) return [await this.api.get<Meta>(w.get)]
      const listed = await this.api.list<Meta>(w.list, w.query, {
        maxPages: 4,
        ...(accept ? { accept } : {})
      })
      return listed.items
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return []
      throw fatal(e, `the ${w.plural}`, hint(w.get ? 'get' : 'list', w))
    }
  }

  private async readHelmRelease(s: Extract<GitopsSource, { tool: 'flux-helmrelease' }>): Promise<StageState> {
    const [group, plural] = ['helm.toolkit.fluxcd.io', 'helmreleases']
    const list = `/apis/${group}/v2/namespaces/${s.namespace}/${plural}`
    const where = { list, query: { fieldSelector: `metadata.name=${s.name}` }, plural, group }
    const hr = (await this.objects({ ...where, get: `${list}/${s.name}`, namespace: s.namespace }))[0] as
      FluxHelmRelease | undefined
    const label = `${s.namespace}/${s.name}`
    // The release record (its manifest names the workloads) of the newest snapshot, once Flux has released it.
    const store = hr && wantsRecord(hr, s.revision) ? storageOf(hr) : undefined
    const record = store
      ? await this.helmRecord(
          { tool: 'helm', release: store.release, driver: 'secret' },
          `/api/v1/namespaces/${store.namespace}/secrets`,
          {
            object: `sh.helm.release.v1.${store.release}.v${store.version}`,
            version: store.version,
            status: 'deployed',
            rv: ''
          },
          'secrets',
          store.namespace
        )
      : undefined
    return helmReleaseStage(hr, label, s.revision, record)
  }

  private async readHelm(s: Extract<GitopsSource, { tool: 'helm' }>): Promise<StageState> {
    const ns = s.namespace ?? this.namespace
    const plural = s.driver === 'secret' ? 'secrets' : 'configmaps'
    const base = `/api/v1/namespaces/${ns}/${plural}`
    const where = { list: base, query: { labelSelector: `owner=helm,name=${s.release}` }, plural, group: '' }
    const list = await this.objects({ ...where, namespace: ns }, METADATA_LIST, metadataOnly)
    // Only Helm's own objects for this release name (`sh.helm.release.v1.NAME.vN`).
    const prefix = `sh.helm.release.v1.${s.release}.v`
    const revisions: (HelmRevision & { rv: string })[] = list
      .filter(o => o.metadata.name.startsWith(prefix))
      .map(o => ({
        object: o.metadata.name,
        version: Number(o.metadata.labels?.version ?? o.metadata.name.slice(prefix.length)),
        status: o.metadata.labels?.status ?? 'unknown',
        rv: o.metadata.resourceVersion ?? ''
      }))
      .filter(r => Number.isInteger(r.version) && r.version > 0)
    const newest = newestRevision(revisions) as (HelmRevision & { rv: string }) | undefined
    // A revision other than the one asked for is decided by its number alone: its record is not read.
    const judged = newest && (s.revision === undefined || newest.version === s.revision)
    const record =
      judged && needsRecord(newest.status) ? await this.helmRecord(s, base, newest, plural, ns) : undefined
    return helmStage(s.release, ns, newest, record, s.revision)
  }

  /** The newest revision's release record, fetched and decoded once per resourceVersion. */
  private async helmRecord(
    s: Extract<GitopsSource, { tool: 'helm' }>,
    base: string,
    newest: HelmRevision & { rv: string },
    plural: string,
    ns: string
  ): Promise<HelmRecord | undefined> {
    const key = `${newest.object}@${newest.rv}`
    if (this.cached?.key === key) return this.cached.record
    let obj: { data?: { release?: string } } | undefined
    try {
      obj = await this.api.get<{ data?: { release?: string } }>(`${base}/${newest.object}`)
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404))
        throw fatal(e, `Helm's release storage`, rbacHint('get', plural, '', ns))
    }
    const data = obj?.data?.release
    if (!data) return undefined
    const record = decodeRelease(storedRelease(s.driver, data))
    this.cached = { key, record }
    return record
  }
}

function hint(verb: string, w: Where): string {
  return rbacHint(verb === 'list' ? 'list and watch' : verb, w.plural, w.group, w.namespace)
}
