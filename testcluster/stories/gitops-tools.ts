// What Helm, Argo CD and Flux store and write, as they document it: Helm's release storage (Secrets
// `sh.helm.release.v1.NAME.vN`, gzipped JSON under two base64 layers, as helm's secrets driver does), Argo CD's
// Application and its status, Flux's Kustomization and HelmRelease and theirs. The real control plane's GitOps
// stories (gitops.ts) and the workflow examples write them.
import { gzipSync } from 'node:zlib'
import { stringify } from 'yaml'
import type { Obj } from '../real/client.js'
import type { RealWorld } from '../real/world.js'

export const NEW_SHA = '9a8b7c6d5e4f30211223344556677889900aabbc'
export const OLD_SHA = '1f2e3d4c5b6a79881726354453627180a9b8c7d6'
/** The next push's commit, applied while the step still waits for NEW_SHA. */
export const NEXT_SHA = '5b6c7d8e9f00112233445566778899aabbccddee'
/** A chart value that is a secret: it must never show anywhere. */
export const SECRET_VALUE = 'hunter2-not-for-logs'

export const service = (ns: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: ns },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }
})

// ---------------------------------------------------------------------------------------------- Helm

/** The rendered manifest Helm stores: `# Source:` comments, objects without a namespace. */
function helmManifest(objs: Obj[]): string {
  return objs
    .map(o => {
      const copy = structuredClone(o)
      delete copy.metadata.namespace
      return `---\n# Source: web/templates/${String(o.kind).toLowerCase()}.yaml\n${stringify(copy)}`
    })
    .join('')
}

/** One revision's storage Secret, as helm's secrets driver writes it (pkg/storage/driver/secrets.go, util.go). */
export function helmSecret(
  ns: string,
  version: number,
  status: string,
  description: string,
  objs: Obj[],
  chartVersion = '0.3.0'
): Obj {
  const now = new Date().toISOString()
  const release = {
    name: 'web',
    info: { first_deployed: now, last_deployed: now, deleted: '', description, status },
    chart: { metadata: { name: 'web', version: chartVersion, appVersion: '1.4.2' } },
    config: { image: { tag: '1.4.2' }, db: { password: SECRET_VALUE } },
    manifest: helmManifest(objs),
    version,
    namespace: ns
  }
  // encodeRelease: JSON, gzip, base64; the Secret's data is base64 again on the wire.
  const helmString = gzipSync(JSON.stringify(release), { level: 9 }).toString('base64')
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `sh.helm.release.v1.web.v${version}`,
      namespace: ns,
      labels: { name: 'web', owner: 'helm', status, version: String(version) }
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(helmString).toString('base64') }
  }
}

// ------------------------------------------------------------------------------------------- Argo CD

/** The Application `shop` in `ns`, deploying into `destination`. */
export function application(ns: string, destination = ns): Obj {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: ns },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/acme/shop-config', path: 'apps/shop', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: destination },
      syncPolicy: { automated: { prune: true } }
    }
  }
}

/** Argo CD's status after a sync of `revision` (phase Running, Succeeded, Failed). */
export function argoStatus(
  ns: string,
  o: {
    synced: string
    sync: string
    health: string
    opRevision: string
    phase: string
    message: string
    /** The commits of earlier successful syncs, oldest first (Argo CD appends one entry per sync, ids rising). */
    history?: string[]
  }
): object {
  const now = new Date().toISOString()
  return {
    sync: {
      status: o.sync,
      revision: o.synced,
      comparedTo: { source: { repoURL: 'https://github.com/acme/shop-config', targetRevision: 'main' } }
    },
    health: { status: o.health },
    operationState: {
      operation: { sync: { revision: o.opRevision }, initiatedBy: { automated: true } },
      phase: o.phase,
      message: o.message,
      startedAt: now,
      ...(o.phase === 'Running' ? {} : { finishedAt: now }),
      syncResult: { revision: o.opRevision, source: { repoURL: 'https://github.com/acme/shop-config' } }
    },
    resources: [
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'web', status: 'Synced' },
      { version: 'v1', kind: 'Service', namespace: ns, name: 'web', status: 'Synced' }
    ],
    ...(o.history
      ? {
          history: o.history.map((revision, i) => ({
            id: i + 1,
            revision,
            deployStartedAt: now,
            deployedAt: now,
            source: {
              repoURL: 'https://github.com/acme/shop-config',
              path: 'apps/shop',
              targetRevision: 'main'
            },
            initiatedBy: { automated: true }
          }))
        }
      : {}),
    reconciledAt: now
  }
}

export async function argoWrite(w: RealWorld, ns: string, status: object): Promise<void> {
  await w.api.patch(
    `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications/shop/status`,
    { status },
    'merge'
  )
}

// ---------------------------------------------------------------------------------------------- Flux

export function kustomization(ns: string): Obj {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: ns },
    spec: {
      interval: '10m',
      path: './apps/shop',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      wait: true
    }
  }
}

export function fluxStatus(
  ns: string,
  o: { applied: string; attempted: string; ready: string; reason: string; message: string }
): object {
  const now = new Date().toISOString()
  return {
    observedGeneration: 1,
    lastAppliedRevision: `main@sha1:${o.applied}`,
    lastAttemptedRevision: `main@sha1:${o.attempted}`,
    conditions: [
      {
        type: 'Ready',
        status: o.ready,
        reason: o.reason,
        message: o.message,
        lastTransitionTime: now,
        observedGeneration: 1
      }
    ],
    inventory: {
      entries: [
        { id: `${ns}_web_apps_Deployment`, v: 'v1' },
        { id: `${ns}_web__Service`, v: 'v1' }
      ]
    }
  }
}

export async function fluxWrite(w: RealWorld, ns: string, status: object): Promise<void> {
  await w.api.patch(
    `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations/apps/status`,
    { status },
    'merge'
  )
}

// ------------------------------------------------------------------------------------- Flux HelmRelease

export function helmRelease(ns: string): Obj {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'web', namespace: ns },
    spec: {
      interval: '10m',
      chart: {
        spec: { chart: 'web', version: '1.4.x', sourceRef: { kind: 'HelmRepository', name: 'acme' } }
      },
      install: { remediation: { retries: 1 } },
      upgrade: { remediation: { retries: 1, remediateLastFailure: true } }
    }
  }
}

/** One entry of status.history, as helm-controller snapshots a release (newest first). */
function snapshot(ns: string, version: number, chartVersion: string, status: string): object {
  const now = new Date().toISOString()
  return {
    name: 'web',
    namespace: ns,
    version,
    status,
    chartName: 'web',
    chartVersion,
    appVersion: chartVersion,
    configDigest: `sha256:${(version * 1111).toString(16).padStart(64, '0')}`,
    digest: `sha256:${(version * 7777).toString(16).padStart(64, '0')}`,
    firstDeployed: now,
    lastDeployed: now
  }
}

export function helmReleaseStatus(
  ns: string,
  o: {
    attempted: string
    action: 'install' | 'upgrade'
    history: [number, string, string][]
    conditions: [type: string, status: string, reason: string, message: string][]
  }
): object {
  const now = new Date().toISOString()
  return {
    observedGeneration: 1,
    lastAttemptedGeneration: 1,
    lastAttemptedRevision: o.attempted,
    lastAttemptedConfigDigest: `sha256:${'1'.repeat(64)}`,
    lastAttemptedReleaseAction: o.action,
    storageNamespace: ns,
    helmChart: `${ns}/${ns}-web`,
    history: o.history.map(([v, chart, status]) => snapshot(ns, v, chart, status)),
    conditions: o.conditions.map(([type, status, reason, message]) => ({
      type,
      status,
      reason,
      message,
      lastTransitionTime: now,
      observedGeneration: 1
    }))
  }
}

export async function helmReleaseWrite(w: RealWorld, ns: string, status: object): Promise<void> {
  await w.api.patch(
    `/apis/helm.toolkit.fluxcd.io/v2/namespaces/${ns}/helmreleases/web/status`,
    { status },
    'merge'
  )
}
