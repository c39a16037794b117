// Helm, Argo CD and Flux on the real control plane. The world plays the tools: it writes Helm's release storage
// (Secrets `sh.helm.release.v1.NAME.vN`, gzipped JSON under two base64 layers, as helm's secrets driver does),
// and Argo CD's and Flux's status as their controllers document it; it applies the objects they "applied", and
// the real controllers and scheduler run them. Times are seconds after the story starts (the action is started at the same moment).
import { gzipSync } from 'node:zlib'
import { stringify } from 'yaml'
import type { Obj } from '../real/client.js'
import type { RealWorld } from '../real/world.js'
import { NEW_DIGEST, REPO, V1, V2 } from './images.js'
import { deployment, serving, webContainer, type RealStory, type StoryNs } from './real.js'

export interface GitopsStory extends RealStory {
  /** The reason must match. */
  reason?: RegExp
  /**
   * The verdict may not come before this many seconds of the story's clock (the pods, or the tool, are not
   * done before): compared with the world's time of the verdict, not the action's elapsed time.
   */
  notBefore?: number
  /** The summary must match (the GitOps stage in the timeline). */
  summary?: RegExp
}

export const NEW_SHA = '9a8b7c6d5e4f30211223344556677889900aabbc'
export const OLD_SHA = '1f2e3d4c5b6a79881726354453627180a9b8c7d6'
/** The next push's commit, applied while the step still waits for NEW_SHA. */
export const NEXT_SHA = '5b6c7d8e9f00112233445566778899aabbccddee'
/** A chart value that is a secret: it must never show anywhere. */
export const SECRET_VALUE = 'hunter2-not-for-logs'

const sleep = (s: number): Promise<void> => new Promise(r => setTimeout(r, s * 1000))

const service = (ns: string): Obj => ({
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

const webV1 = (s: StoryNs): Obj => deployment(s.app, 'web', [webContainer(V1)])
const webV2 = (s: StoryNs): Obj => deployment(s.app, 'web', [webContainer(V2)])

/** Release web revision 1 deployed with 1.4.1 serving. */
async function helmServing(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  await w.apply(helmSecret(s.app, 1, 'deployed', 'Install complete', [webV1(s), service(s.app)]))
  await w.apply(service(s.app))
}

const helmInputs = (s: StoryNs): Record<string, string> => ({
  'helm-release': 'web',
  namespace: s.app,
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

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

/** web 1.4.1 serving, and the Application Synced and Healthy at the old commit. */
async function argoServing(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  await w.apply(service(s.app))
  await w.apply(application(s.app))
  await argoWrite(
    w,
    s.app,
    argoStatus(s.app, {
      synced: OLD_SHA,
      sync: 'Synced',
      health: 'Healthy',
      opRevision: OLD_SHA,
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)'
    })
  )
}

const argoInputs = (s: StoryNs): Record<string, string> => ({
  'argocd-application': `${s.app}/shop`,
  revision: NEW_SHA.slice(0, 7),
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

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

async function fluxServing(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  await w.apply(service(s.app))
  await w.apply(kustomization(s.app))
  await fluxWrite(
    w,
    s.app,
    fluxStatus(s.app, {
      applied: OLD_SHA,
      attempted: OLD_SHA,
      ready: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: main@sha1:${OLD_SHA}`
    })
  )
}

const fluxInputs = (s: StoryNs): Record<string, string> => ({
  'flux-kustomization': `${s.app}/apps`,
  revision: `main@sha1:${NEW_SHA}`,
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

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

/** web 1.4.1 serving: release v1 deployed by the HelmRelease. */
async function helmReleaseServing(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  await w.apply(service(s.app))
  await w.apply(helmSecret(s.app, 1, 'deployed', 'Install complete', [webV1(s), service(s.app)], '1.4.1'))
  await w.apply(helmRelease(s.app))
  await helmReleaseWrite(
    w,
    s.app,
    helmReleaseStatus(s.app, {
      attempted: '1.4.1',
      action: 'install',
      history: [[1, '1.4.1', 'deployed']],
      conditions: [
        [
          'Ready',
          'True',
          'InstallSucceeded',
          `Helm install succeeded for release ${s.app}/web.v1 with chart web@1.4.1`
        ],
        [
          'Released',
          'True',
          'InstallSucceeded',
          `Helm install succeeded for release ${s.app}/web.v1 with chart web@1.4.1`
        ]
      ]
    })
  )
}

const helmReleaseInputs = (s: StoryNs): Record<string, string> => ({
  'flux-helmrelease': `${s.app}/web`,
  revision: '1.4.2',
  'expected-digest': `${REPO}@${NEW_DIGEST}`
})

// ------------------------------------------------------------------------------------------- stories

export const GITOPS_STORIES: GitopsStory[] = [
  {
    name: 'helm: pending-upgrade, then deployed; success only after the pods',
    expect: 'success',
    timeout: '60s',
    notBefore: 3,
    reason: /^Helm applied revision 2 \(the newest; no revision was asked for\); deployment\/web rolled out/,
    summary: /Helm: revision 2: pending-upgrade[\s\S]*Helm applied revision 2/,
    inputs: helmInputs,
    setup: async (w, s) => {
      await helmServing(w, s)
      await w.apply(helmSecret(s.app, 2, 'pending-upgrade', 'Preparing upgrade', [webV2(s), service(s.app)]))
    },
    then: async (w, s) => {
      await sleep(1)
      await w.apply(webV2(s))
      await sleep(2)
      await w.apply(helmSecret(s.app, 1, 'superseded', 'Install complete', [webV1(s), service(s.app)]))
      await w.apply(helmSecret(s.app, 2, 'deployed', 'Upgrade complete', [webV2(s), service(s.app)]))
    }
  },
  {
    name: "helm: failed by its own wait while the pods converge: success, Helm's false alarm",
    expect: 'success',
    timeout: '60s',
    notBefore: 4,
    reason:
      /Helm marked revision 2 failed \("Upgrade \\?"web\\?" failed: timed out waiting for the condition"\), a false alarm/,
    summary: /false alarm/,
    inputs: helmInputs,
    setup: async (w, s) => {
      await helmServing(w, s)
      // The image is slow to pull: Helm's --wait gave up before the pods were Ready.
      w.registry.set(V2, { pullSeconds: 6 }, s.app)
      await w.apply(webV2(s))
      await w.apply(
        helmSecret(s.app, 2, 'failed', 'Upgrade "web" failed: timed out waiting for the condition', [
          webV2(s),
          service(s.app)
        ])
      )
    }
  },
  {
    name: 'helm: failed by an apply error (immutable field): apply-failed, fast',
    expect: 'apply-failed',
    early: true,
    timeout: '40s',
    reason:
      /^Helm could not apply revision 2: Upgrade "web" failed: cannot patch "web" with kind Deployment: .*field is immutable/,
    inputs: helmInputs,
    setup: async (w, s) => {
      await helmServing(w, s)
      await w.apply(
        helmSecret(
          s.app,
          2,
          'failed',
          'Upgrade "web" failed: cannot patch "web" with kind Deployment: Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web","tier":"front"}}: field is immutable',
          [webV2(s), service(s.app)]
        )
      )
    }
  },
  {
    name: 'argo cd: the sync applies the commit, then the pods become Ready: success only after the pods',
    expect: 'success',
    timeout: '60s',
    notBefore: 4.5,
    reason: /^Argo CD applied 9a8b7c6; /,
    summary: /Argo CD applied 9a8b7c6/,
    inputs: argoInputs,
    setup: async (w, s) => {
      await argoServing(w, s)
      w.registry.set(V2, { pullSeconds: 4 }, s.app)
    },
    then: async (w, s) => {
      await sleep(1)
      const running = { synced: OLD_SHA, sync: 'OutOfSync', health: 'Healthy', opRevision: NEW_SHA }
      await argoWrite(
        w,
        s.app,
        argoStatus(s.app, {
          ...running,
          phase: 'Running',
          message: 'waiting for healthy state of apps/Deployment/web'
        })
      )
      await w.apply(webV2(s))
      await sleep(1)
      // Argo CD marks the sync done when the objects are applied; the pods are still pulling.
      await argoWrite(
        w,
        s.app,
        argoStatus(s.app, {
          synced: NEW_SHA,
          sync: 'Synced',
          health: 'Progressing',
          opRevision: NEW_SHA,
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)'
        })
      )
    }
  },
  {
    name: 'argo cd: the sync of the commit fails: apply-failed with its message, fast',
    expect: 'apply-failed',
    early: true,
    timeout: '40s',
    reason:
      /^Argo CD could not apply 9a8b7c6: one or more objects failed to apply, reason: Deployment.apps "web" is invalid/,
    inputs: argoInputs,
    setup: async (w, s) => {
      await argoServing(w, s)
    },
    then: async (w, s) => {
      await sleep(1)
      await argoWrite(
        w,
        s.app,
        argoStatus(s.app, {
          synced: OLD_SHA,
          sync: 'OutOfSync',
          health: 'Healthy',
          opRevision: NEW_SHA,
          phase: 'Failed',
          message:
            'one or more objects failed to apply, reason: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value'
        })
      )
    }
  },
  {
    name: 'argo cd: Synced and Healthy at an older commit: never success; the deadline names the commit',
    expect: 'timeout',
    timeout: '12s',
    notBefore: 11,
    reason:
      /waiting for Argo CD to apply revision 9a8b7c6 to Application .*\/shop \(it is Synced, Healthy at 1f2e3d4/,
    inputs: argoInputs,
    setup: argoServing
  },
  {
    name: 'flux: the Kustomization applies the commit, then the pods become Ready: success only after the pods',
    expect: 'success',
    timeout: '60s',
    notBefore: 4.5,
    reason: /^Flux applied 9a8b7c6; /,
    summary: /Flux applied 9a8b7c6/,
    inputs: fluxInputs,
    setup: async (w, s) => {
      await fluxServing(w, s)
      w.registry.set(V2, { pullSeconds: 4 }, s.app)
    },
    then: async (w, s) => {
      await sleep(1)
      await fluxWrite(
        w,
        s.app,
        fluxStatus(s.app, {
          applied: OLD_SHA,
          attempted: NEW_SHA,
          ready: 'Unknown',
          reason: 'Progressing',
          message: 'Reconciliation in progress'
        })
      )
      await w.apply(webV2(s))
      await sleep(1)
      await fluxWrite(
        w,
        s.app,
        fluxStatus(s.app, {
          applied: NEW_SHA,
          attempted: NEW_SHA,
          ready: 'True',
          reason: 'ReconciliationSucceeded',
          message: `Applied revision: main@sha1:${NEW_SHA}`
        })
      )
    }
  },
  {
    name: 'flux: reconciliation of the commit fails: apply-failed with its message, fast',
    expect: 'apply-failed',
    early: true,
    timeout: '40s',
    reason: /^Flux could not apply 9a8b7c6: ReconciliationFailed: Deployment\/.*\/web dry-run failed/,
    inputs: fluxInputs,
    setup: fluxServing,
    then: async (w, s) => {
      await sleep(1)
      await fluxWrite(
        w,
        s.app,
        fluxStatus(s.app, {
          applied: OLD_SHA,
          attempted: NEW_SHA,
          ready: 'False',
          reason: 'ReconciliationFailed',
          message: `Deployment/${s.app}/web dry-run failed (Invalid): Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value`
        })
      )
    }
  },
  {
    name: 'flux: Ready at an older commit: never success; the deadline names the commit',
    expect: 'timeout',
    timeout: '10s',
    notBefore: 9,
    reason:
      /waiting for Flux to apply revision main@sha1:9a8b7c6d5e4f30211223344556677889900aabbc with Kustomization .*\/apps \(it is Ready=True ReconciliationSucceeded at 1f2e3d4/,
    inputs: fluxInputs,
    setup: fluxServing
  },
  {
    name: 'argo cd: the next commit is synced while the step waits for its own: superseded with both, fast',
    expect: 'superseded',
    early: true,
    timeout: '40s',
    notBefore: 6,
    reason:
      /^Argo CD applied 5b6c7d8 after 9a8b7c6, the revision this step waits for \(its history shows 9a8b7c6 applied, then 5b6c7d8\): 9a8b7c6 was superseded/,
    summary: /Argo CD moved on to 5b6c7d8/,
    inputs: argoInputs,
    setup: argoServing,
    then: async (w, s) => {
      await sleep(1)
      await argoWrite(
        w,
        s.app,
        argoStatus(s.app, {
          synced: NEW_SHA,
          sync: 'OutOfSync',
          health: 'Healthy',
          opRevision: NEW_SHA,
          phase: 'Running',
          message: 'waiting for healthy state of apps/Deployment/web',
          history: [OLD_SHA]
        })
      )
      await w.apply(webV2(s))
      await sleep(5)
      // The sync of NEW_SHA finished (its history entry), and the next push's commit is already being synced.
      await argoWrite(
        w,
        s.app,
        argoStatus(s.app, {
          synced: NEXT_SHA,
          sync: 'OutOfSync',
          health: 'Progressing',
          opRevision: NEXT_SHA,
          phase: 'Running',
          message: 'waiting for healthy state of apps/Deployment/web',
          history: [OLD_SHA, NEW_SHA]
        })
      )
    }
  },
  {
    name: 'flux: the next commit is attempted while the step waits for its own: superseded with both, fast',
    expect: 'superseded',
    early: true,
    timeout: '40s',
    notBefore: 7,
    reason:
      /^Flux applied 5b6c7d8 after 9a8b7c6, the revision this step waits for \(this wait saw it attempt 9a8b7c6, then 5b6c7d8\)/,
    inputs: fluxInputs,
    setup: fluxServing,
    then: async (w, s) => {
      await sleep(1)
      await fluxWrite(
        w,
        s.app,
        fluxStatus(s.app, {
          applied: OLD_SHA,
          attempted: NEW_SHA,
          ready: 'Unknown',
          reason: 'Progressing',
          message: 'Reconciliation in progress'
        })
      )
      await sleep(6)
      // Flux fetched the next push before it got to apply this one (a new source artifact cancels the attempt).
      await fluxWrite(
        w,
        s.app,
        fluxStatus(s.app, {
          applied: OLD_SHA,
          attempted: NEXT_SHA,
          ready: 'Unknown',
          reason: 'Progressing',
          message: 'Reconciliation in progress'
        })
      )
    }
  },
  {
    name: 'flux: its health check failed on its own clock while the pods crash-loop: crash-loop, not apply-failed',
    expect: 'crash-loop',
    early: true,
    timeout: '60s',
    reason:
      /Flux marked 9a8b7c6 failed \("HealthCheckFailed: health check failed after 2m0\.015112257s: timeout waiting for: \[Deployment\/.*\/web status: 'InProgress'\]"\): Flux's health check \(spec\.timeout\) gave up on its own clock/,
    summary: /but only Flux's health check \(spec\.timeout\) gave up on its own clock: the pods decide/,
    inputs: fluxInputs,
    setup: async (w, s) => {
      await fluxServing(w, s)
      w.registry.set(
        V2,
        {
          program: {
            kind: 'exit',
            code: 1,
            after: 0.3,
            log: ['Error: connect ECONNREFUSED 10.96.0.12:5432']
          }
        },
        s.app
      )
      // Flux applied the commit, its health check gave up, and it kept lastAppliedRevision at the old commit.
      await w.apply(webV2(s))
      await fluxWrite(
        w,
        s.app,
        fluxStatus(s.app, {
          applied: OLD_SHA,
          attempted: NEW_SHA,
          ready: 'False',
          reason: 'HealthCheckFailed',
          message: `health check failed after 2m0.015112257s: timeout waiting for: [Deployment/${s.app}/web status: 'InProgress']`
        })
      )
    }
  },
  {
    name: 'helm: the next upgrade makes revision 3 while the step waits for its revision 2: superseded, fast',
    expect: 'superseded',
    early: true,
    timeout: '40s',
    notBefore: 2,
    reason:
      /^Helm applied revision 3 after revision 2, the revision this step waits for \(Helm made revision 3 after it \(pending-upgrade\)\): revision 2 was superseded/,
    inputs: s => ({ ...helmInputs(s), revision: '2' }),
    setup: async (w, s) => {
      await helmServing(w, s)
      await w.apply(helmSecret(s.app, 2, 'pending-upgrade', 'Preparing upgrade', [webV2(s), service(s.app)]))
    },
    then: async (w, s) => {
      await sleep(2)
      // Helm's next upgrade supersedes revision 2 and starts revision 3.
      await w.apply(helmSecret(s.app, 2, 'superseded', 'Upgrade complete', [webV2(s), service(s.app)]))
      await w.apply(helmSecret(s.app, 3, 'pending-upgrade', 'Preparing upgrade', [webV2(s), service(s.app)]))
    }
  },
  {
    name: 'flux helmrelease: the upgrade to chart 1.4.2 is released, then the pods become Ready: success only after the pods',
    expect: 'success',
    timeout: '60s',
    notBefore: 4,
    reason: /^Flux applied web@1\.4\.2 \(release v2\); deployment\/web rolled out/,
    summary: /Flux applied web@1\.4\.2 \(release v2\)/,
    inputs: helmReleaseInputs,
    setup: async (w, s) => {
      await helmReleaseServing(w, s)
      w.registry.set(V2, { pullSeconds: 3 }, s.app)
    },
    then: async (w, s) => {
      await sleep(1)
      await w.apply(webV2(s))
      await w.apply(
        helmSecret(s.app, 1, 'superseded', 'Install complete', [webV1(s), service(s.app)], '1.4.1')
      )
      await w.apply(helmSecret(s.app, 2, 'deployed', 'Upgrade complete', [webV2(s), service(s.app)], '1.4.2'))
      const ok = `Helm upgrade succeeded for release ${s.app}/web.v2 with chart web@1.4.2`
      await helmReleaseWrite(
        w,
        s.app,
        helmReleaseStatus(s.app, {
          attempted: '1.4.2',
          action: 'upgrade',
          history: [
            [2, '1.4.2', 'deployed'],
            [1, '1.4.1', 'superseded']
          ],
          conditions: [
            ['Ready', 'True', 'UpgradeSucceeded', ok],
            ['Released', 'True', 'UpgradeSucceeded', ok]
          ]
        })
      )
    }
  },
  {
    name: 'flux helmrelease: the install of chart 1.4.2 fails: apply-failed with Helm’s message, fast',
    expect: 'apply-failed',
    early: true,
    timeout: '40s',
    reason:
      /^Flux could not apply web@1\.4\.2 \(release v1\): InstallFailed: Helm install failed for release .*\/web with chart web@1\.4\.2: .*spec\.template\.spec\.containers\[0\]\.image: Required value/,
    inputs: helmReleaseInputs,
    setup: async (w, s) => {
      await w.apply(helmRelease(s.app))
    },
    then: async (w, s) => {
      await sleep(1)
      const failed = `Helm install failed for release ${s.app}/web with chart web@1.4.2: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value`
      await helmReleaseWrite(
        w,
        s.app,
        helmReleaseStatus(s.app, {
          attempted: '1.4.2',
          action: 'install',
          history: [[1, '1.4.2', 'failed']],
          conditions: [
            ['Ready', 'False', 'InstallFailed', failed],
            ['Released', 'False', 'InstallFailed', failed]
          ]
        })
      )
    }
  },
  {
    name: 'flux helmrelease: the upgrade fails and remediation rolls it back: apply-failed, saying so',
    expect: 'apply-failed',
    early: true,
    timeout: '40s',
    reason:
      /^Flux could not apply web@1\.4\.2 \(release v2\): Flux remediated the release \(RollbackSucceeded: Helm rollback to previous release .*\/web\.v1 with chart web@1\.4\.1 succeeded\) after UpgradeFailed: Helm upgrade failed for release .*\/web with chart web@1\.4\.2: cannot patch "web" with kind Deployment/,
    inputs: helmReleaseInputs,
    setup: helmReleaseServing,
    then: async (w, s) => {
      await sleep(1)
      const failed = `Helm upgrade failed for release ${s.app}/web with chart web@1.4.2: cannot patch "web" with kind Deployment: Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web","tier":"front"}}: field is immutable`
      const rolledBack = `Helm rollback to previous release ${s.app}/web.v1 with chart web@1.4.1 succeeded`
      await helmReleaseWrite(
        w,
        s.app,
        helmReleaseStatus(s.app, {
          attempted: '1.4.2',
          action: 'upgrade',
          history: [
            [3, '1.4.1', 'deployed'],
            [2, '1.4.2', 'failed'],
            [1, '1.4.1', 'superseded']
          ],
          conditions: [
            ['Ready', 'False', 'RollbackSucceeded', rolledBack],
            ['Released', 'False', 'UpgradeFailed', failed],
            ['Remediated', 'True', 'RollbackSucceeded', rolledBack]
          ]
        })
      )
    }
  }
]
