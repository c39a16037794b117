// Reads what the deploy tool wrote and hands it to the stage's pure decision. Helm's revisions are listed as
// metadata only (labels, no release data); only the newest deployed or failed one is fetched and decoded, once
// per resourceVersion, and nothing of it but status, description and manifest is kept.
import { ApiError, type KubeApi } from '../kube/api.js'
import { fatal, rbacHint } from '../kube/reader.js'
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
import type { GitopsSource, StageState } from './stage.js'
import { extendTrail } from './supersede.js'

const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'

interface Meta {
  metadata: { name: string; resourceVersion?: string; labels?: Record<string, string> }
}

export class StageReader {
  private cached?: { key: string; record: HelmRecord }
  /** The revisions Argo CD or Flux was seen at by this wait's reads, oldest first: their order in time. */
  private trail: string[] = []

  constructor(
    private readonly api: KubeApi,
    private readonly source: GitopsSource,
    /** The step's namespace: Helm's release namespace when the source names none. */
    private readonly namespace: string
  ) {}

  /** `Helm release shop/web`, `Argo CD Application argocd/shop`. */
  get object(): string {
    const s = this.source
    if (s.tool === 'helm') return `Helm release ${this.namespace}/${s.release}`
    return `${s.tool === 'argocd' ? 'Argo CD Application' : 'Flux Kustomization'} ${s.namespace}/${s.name}`
  }

  async read(): Promise<StageState> {
    const s = this.source
    if (s.tool === 'helm') return this.readHelm(s)
    const group = s.tool === 'argocd' ? 'argoproj.io' : 'kustomize.toolkit.fluxcd.io'
    const path =
      s.tool === 'argocd'
        ? `/apis/argoproj.io/v1alpha1/namespaces/${s.namespace}/applications/${s.name}`
        : `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${s.namespace}/kustomizations/${s.name}`
    const plural = s.tool === 'argocd' ? 'applications' : 'kustomizations'
    const obj = await this.getOrUndefined(path, plural, group, s.namespace)
    const label = `${s.namespace}/${s.name}`
    if (s.tool === 'argocd') {
      const app = obj as ArgoApplication | undefined
      const state = argoStage(app, label, s.revision, this.trail)
      this.trail = extendTrail(this.trail, argoAttempt(app))
      return state
    }
    const ks = obj as FluxKustomization | undefined
    const state = fluxStage(ks, label, s.revision, this.trail)
    this.trail = extendTrail(this.trail, ks?.status?.lastAttemptedRevision)
    return state
  }

  private async getOrUndefined(path: string, plural: string, group: string, ns: string): Promise<unknown> {
    try {
      return await this.api.get<unknown>(path)
    } catch (e) {
      // A missing object, or a CRD that is not installed, is "not there (yet)".
      if (e instanceof ApiError && e.status === 404) return undefined
      throw fatal(e, `the ${plural}`, rbacHint('get', plural, group, ns))
    }
  }

  private async readHelm(s: Extract<GitopsSource, { tool: 'helm' }>): Promise<StageState> {
    const ns = s.namespace ?? this.namespace
    const plural = s.driver === 'secret' ? 'secrets' : 'configmaps'
    const base = `/api/v1/namespaces/${ns}/${plural}`
    let list: Meta[]
    try {
      list = (
        await this.api.list<Meta>(
          base,
          { labelSelector: `owner=helm,name=${s.release}` },
          { maxPages: 4, accept: METADATA_LIST }
        )
      ).items
    } catch (e) {
      throw fatal(e, `Helm's release storage`, rbacHint('list', plural, '', ns))
    }
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
    let record: HelmRecord | undefined
    if (newest && needsRecord(newest.status)) {
      const key = `${newest.object}@${newest.rv}`
      if (this.cached?.key === key) record = this.cached.record
      else {
        let obj: { data?: { release?: string } } | undefined
        try {
          obj = await this.api.get<{ data?: { release?: string } }>(`${base}/${newest.object}`)
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 404))
            throw fatal(e, `Helm's release storage`, rbacHint('get', plural, '', ns))
        }
        const data = obj?.data?.release
        if (data) {
          record = decodeRelease(storedRelease(s.driver, data))
          this.cached = { key, record }
        }
      }
    }
    return helmStage(s.release, ns, newest, record, s.revision)
  }
}
