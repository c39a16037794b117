// The controllers of the kinds whose CRDs the real apiserver serves here, played by the test world: Knative
// Serving (Service → Revision → Deployment), Argo Rollouts (Rollout → ReplicaSets), KServe (InferenceService →
// Knative Service) and a team's own operator (Database, kstatus conditions). Each writes only what that
// controller writes: its child objects and its own status. The Deployments and ReplicaSets they create are run by
// the real kube-controller-manager; the pods are scheduled by the real kube-scheduler and run by the simulated
// kubelets, whose pod status the controllers read back as the real ones do.
//
// Watches on the CRDs, Deployments and ReplicaSets (and the kubelets' pod watch) mark a namespace dirty; a short
// loop reconciles every object of a dirty namespace. Status is written with the object's resourceVersion, so a
// person's write in between (`kubectl argo rollouts promote`) wins and the controller tries again.
import { createHash } from 'node:crypto'
import { nowIso } from '../shared/clock.js'
import type { Obj } from './client.js'
import { installCrd } from './crds.js'
import { digestOf, repoOf } from './registry.js'
import type { RealWorld } from './world.js'

type Cond = {
  type: string
  status: string
  reason?: string
  message?: string
  lastTransitionTime?: string
  [k: string]: unknown
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** JSON with sorted keys and no undefined: the apiserver hands unstructured objects back key-sorted. */
export function canon(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canon).join(',')}]`
  if (x && typeof x === 'object')
    return `{${Object.entries(x as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canon(v)}`)
      .join(',')}}`
  return JSON.stringify(x)
}

/** A pod-template-hash in the controllers' alphabet (rand.SafeEncodeString). */
export function templateHash(x: unknown, len = 10): string {
  const b = createHash('sha256').update(canon(x)).digest()
  let out = ''
  for (let i = 0; i < len; i++) out += ALPHABET[b[i]! % ALPHABET.length]
  return out
}

/** Conditions as controllers set them: lastTransitionTime moves only when the status does. */
function conditions(prev: Cond[] | undefined, next: Cond[]): Cond[] {
  return next.map(c => {
    const p = prev?.find(x => x.type === c.type)
    const clean = JSON.parse(JSON.stringify(c)) as Cond
    return { ...clean, lastTransitionTime: p && p.status === c.status ? p.lastTransitionTime : nowIso() }
  })
}

const cond = (o: Obj | undefined, type: string): Cond | undefined =>
  ((o?.status?.conditions ?? []) as Cond[]).find(c => c.type === type)

const owner = (o: Obj, apiVersion: string, kind: string): object => ({
  apiVersion,
  kind,
  name: o.metadata.name,
  uid: o.metadata.uid,
  controller: true,
  blockOwnerDeletion: true
})

const sel = (labels: Record<string, string>): string =>
  encodeURIComponent(
    Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')
  )

/** `GET https://registry/v2/<repo>/manifests/<tag>` as go-containerregistry names a missing tag. */
function resolveError(image: string, unauthorized: boolean): string {
  const repo = repoOf(image)
  const tag = image.slice(repo.length + 1) || 'latest'
  const [host, ...path] = repo.includes('/') ? repo.split('/') : ['index.docker.io', 'library', repo]
  const url = `GET https://${host}/v2/${path.join('/')}/manifests/${tag}`
  return unauthorized
    ? `${url}: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:${path.join('/')} Type:repository]]`
    : `${url}: MANIFEST_UNKNOWN: manifest unknown; map[Tag:${tag}]`
}

/** Knative's queue-proxy sidecar, by digest as Knative configures it. */
export const QUEUE_PROXY = `gcr.io/knative-releases/knative.dev/serving/cmd/queue@${digestOf('knative-serving queue v1.16.0')}`
/** KServe's storage initializer and the sklearn runtime (ClusterServingRuntime kserve-sklearnserver). */
export const STORAGE_INITIALIZER = 'kserve/storage-initializer:v0.14.0'
export const SKLEARN_RUNTIME = 'kserve/sklearnserver:v0.14.0'

export interface AnalysisOutcome {
  metric: string
  /** Failed measurements and the template's failureLimit: failed > limit fails the run. */
  failed: number
  failureLimit: number
  /** Story-seconds the run takes. */
  after?: number
}

export interface DatabaseOperator {
  /** Major versions the operator offers (others: Stalled). */
  supported: string[]
  /** Story-seconds of provisioning before Ready. */
  provisionSeconds: number
}

const CONTROLLERS = new WeakMap<RealWorld, Controllers>()

/** The controllers playing for this world (startControllers made them). */
export function controllersOf(w: RealWorld): Controllers {
  const c = CONTROLLERS.get(w)
  if (!c) throw new Error('no controllers for this world: call startControllers first')
  return c
}

/** Installs the CRDs and starts the world's controllers for them. */
export async function startControllers(w: RealWorld): Promise<Controllers> {
  const cp = w.cp
  await installCrd(cp, {
    group: 'serving.knative.dev',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    shortNames: ['ksvc', 'kservice']
  })
  await installCrd(cp, {
    group: 'serving.knative.dev',
    version: 'v1',
    kind: 'Revision',
    plural: 'revisions',
    shortNames: ['rev']
  })
  await installCrd(cp, {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    plural: 'rollouts',
    shortNames: ['ro']
  })
  await installCrd(cp, {
    group: 'serving.kserve.io',
    version: 'v1beta1',
    kind: 'InferenceService',
    plural: 'inferenceservices',
    shortNames: ['isvc']
  })
  await installCrd(cp, { group: 'db.example.com', version: 'v1', kind: 'Database', plural: 'databases' })
  const c = new Controllers(w)
  c.start()
  CONTROLLERS.set(w, c)
  return c
}

const KSVC = '/apis/serving.knative.dev/v1/namespaces/{ns}/services'
const REV = '/apis/serving.knative.dev/v1/namespaces/{ns}/revisions'
const ISVC = '/apis/serving.kserve.io/v1beta1/namespaces/{ns}/inferenceservices'
const RO = '/apis/argoproj.io/v1alpha1/namespaces/{ns}/rollouts'
const DB = '/apis/db.example.com/v1/namespaces/{ns}/databases'
const DEPLOY = '/apis/apps/v1/namespaces/{ns}/deployments'
const RS = '/apis/apps/v1/namespaces/{ns}/replicasets'
const at = (p: string, ns: string): string => p.replace('{ns}', ns)

export class Controllers {
  /** Argo Rollouts' AnalysisRuns: what the metric assesses, per `namespace/rollout` (none: Successful). */
  readonly analysis = new Map<string, AnalysisOutcome>()
  /** The Database operator's behaviour. */
  readonly databases: DatabaseOperator = { supported: ['15', '16'], provisionSeconds: 1 }
  private dirty = new Set<string>()
  private watches: { stop: () => void }[] = []
  private timer?: NodeJS.Timeout
  private running = false
  private stopped = false
  /** When a timed thing began (an analysis run, a provisioning), by key. */
  private began = new Map<string, number>()

  constructor(readonly w: RealWorld) {}

  private get api(): RealWorld['api'] {
    return this.w.api
  }

  start(): void {
    for (const path of [
      '/apis/serving.knative.dev/v1/services',
      '/apis/serving.knative.dev/v1/revisions',
      '/apis/argoproj.io/v1alpha1/rollouts',
      '/apis/serving.kserve.io/v1beta1/inferenceservices',
      '/apis/db.example.com/v1/databases',
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/replicasets'
    ])
      this.watch(path)
    this.w.kubelets.observers.push(p => p.metadata.namespace && this.dirty.add(p.metadata.namespace))
    this.timer = setInterval(() => void this.tick(), 100)
  }

  private watch(path: string): void {
    if (this.stopped) return
    // Without a resourceVersion the apiserver sends every object first (ADDED): each namespace starts dirty.
    const h = this.api.watch(
      path,
      e => {
        const ns = e.object?.metadata?.namespace
        if (ns) this.dirty.add(ns)
      },
      () => {
        this.watches = this.watches.filter(x => x !== h)
        if (!this.stopped) setTimeout(() => this.watch(path), 200)
      }
    )
    this.watches.push(h)
  }

  /** Reconciles the namespace again after `seconds` story-seconds (a timed pause, an analysis run). */
  private later(ns: string, seconds: number): void {
    setTimeout(() => this.dirty.add(ns), Math.max(50, seconds * this.w.clock.msPerSecond))
  }

  private sinceSeconds(key: string): number {
    if (!this.began.has(key)) this.began.set(key, Date.now())
    return (Date.now() - this.began.get(key)!) / this.w.clock.msPerSecond
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped || this.dirty.size === 0) return
    this.running = true
    const namespaces = [...this.dirty]
    this.dirty.clear()
    try {
      for (const ns of namespaces) {
        for (const [path, reconcile] of [
          [ISVC, (o: Obj) => this.kserve(o)],
          [KSVC, (o: Obj) => this.knative(o)],
          [RO, (o: Obj) => this.rollout(o)],
          [DB, (o: Obj) => this.database(o)]
        ] as const) {
          const items = await this.api.list(at(path, ns)).catch(() => [] as Obj[])
          for (const o of items) {
            if (o.metadata.deletionTimestamp) continue
            await reconcile(o).catch(e => {
              if (process.env.KV_DEBUG) process.stderr.write(`controller ${o.metadata.name}: ${String(e)}\n`)
              this.dirty.add(ns)
            })
          }
        }
      }
    } finally {
      this.running = false
    }
  }

  /** Writes `status` when it differs, with the object's resourceVersion (a conflict: next round). */
  private async writeStatus(path: string, o: Obj, status: object): Promise<void> {
    const next = JSON.parse(JSON.stringify(status)) as object
    if (canon(next) === canon(o.status ?? {})) return
    const r = await this.api.raw('PUT', `${path}/${o.metadata.name}/status`, { ...o, status: next })
    if (r.code === 409) this.dirty.add(o.metadata.namespace!)
    else if (r.code >= 300)
      throw new Error(`status of ${o.metadata.name}: HTTP ${r.code} ${r.text.slice(0, 200)}`)
  }

  private async scale(ns: string, path: string, o: Obj | undefined, replicas: number): Promise<void> {
    if (!o || (o.spec?.replicas ?? 1) === replicas) return
    await this.api.patch(`${at(path, ns)}/${o.metadata.name}`, { spec: { replicas } })
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    for (const h of this.watches.splice(0)) h.stop()
  }

  // ---- Knative Serving: Service → Revision → Deployment ----

  private async knative(ksvc: Obj): Promise<void> {
    const ns = ksvc.metadata.namespace!
    const name = ksvc.metadata.name
    const tpl = (ksvc.spec?.template ?? {}) as { metadata?: Obj['metadata']; spec?: Record<string, unknown> }
    const revs = (
      await this.api.list(`${at(REV, ns)}?labelSelector=${sel({ 'serving.knative.dev/service': name })}`)
    ).sort((a, b) => generationOf(a) - generationOf(b))
    let latest = revs.at(-1)
    const same = (r: Obj): boolean =>
      canon(r.spec) === canon(tpl.spec ?? {}) &&
      Object.entries(tpl.metadata?.labels ?? {}).every(([k, v]) => r.metadata.labels?.[k] === v)
    if (!latest || !same(latest)) {
      // The Configuration's next generation: a new Revision named after it.
      const gen = latest ? generationOf(latest) + 1 : 1
      latest = await this.api.create(at(REV, ns), {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Revision',
        metadata: {
          name: `${name}-${String(gen).padStart(5, '0')}`,
          namespace: ns,
          labels: {
            ...tpl.metadata?.labels,
            'serving.knative.dev/configuration': name,
            'serving.knative.dev/configurationGeneration': String(gen),
            'serving.knative.dev/routingState': 'active',
            'serving.knative.dev/service': name,
            'serving.knative.dev/serviceUID': ksvc.metadata.uid!
          },
          ...(tpl.metadata?.annotations ? { annotations: tpl.metadata.annotations } : {}),
          ownerReferences: [owner(ksvc, 'serving.knative.dev/v1', 'Service')]
        },
        spec: tpl.spec ?? {}
      })
      revs.push(latest)
    }
    for (const r of revs) await this.revision(r, r === latest)
    const fresh = await this.api.list(
      `${at(REV, ns)}?labelSelector=${sel({ 'serving.knative.dev/service': name })}`
    )
    const byName = new Map(fresh.map(r => [r.metadata.name, r]))
    const created = byName.get(latest.metadata.name) ?? latest
    const readyRev = [...fresh]
      .sort((a, b) => generationOf(b) - generationOf(a))
      .find(r => cond(r, 'Ready')?.status === 'True')
    const rc = cond(created, 'Ready')
    const configurations: Cond =
      rc?.status === 'True'
        ? { type: 'ConfigurationsReady', status: 'True' }
        : rc?.status === 'False'
          ? {
              type: 'ConfigurationsReady',
              status: 'False',
              reason: 'RevisionFailed',
              message: `Revision "${created.metadata.name}" failed with message: ${rc.message ?? ''}.`
            }
          : readyRev
            ? { type: 'ConfigurationsReady', status: 'Unknown' }
            : {
                type: 'ConfigurationsReady',
                status: 'Unknown',
                reason: 'RevisionMissing',
                message: `Configuration "${name}" does not have any ready Revision.`
              }
    const routes: Cond = readyRev
      ? { type: 'RoutesReady', status: 'True' }
      : {
          type: 'RoutesReady',
          status: 'Unknown',
          reason: 'RevisionMissing',
          message: `Configuration "${name}" does not have any ready Revision.`
        }
    const notReady =
      [configurations, routes].find(c => c.status === 'False') ??
      [configurations, routes].find(c => c.status === 'Unknown' && c.reason) ??
      [configurations, routes].find(c => c.status !== 'True')
    const ready: Cond = notReady ? { ...notReady, type: 'Ready' } : { type: 'Ready', status: 'True' }
    const prev = ksvc.status as { conditions?: Cond[] } | undefined
    await this.writeStatus(at(KSVC, ns), ksvc, {
      observedGeneration: ksvc.metadata.generation,
      conditions: conditions(prev?.conditions, [configurations, ready, routes]),
      latestCreatedRevisionName: created.metadata.name,
      ...(readyRev ? { latestReadyRevisionName: readyRev.metadata.name } : {}),
      url: `http://${name}.${ns}.example.com`,
      address: { url: `http://${name}.${ns}.svc.cluster.local` },
      traffic: readyRev ? [{ revisionName: readyRev.metadata.name, latestRevision: true, percent: 100 }] : []
    })
    // The autoscaler scales revisions that no longer get traffic to zero (after its stable window).
    if (readyRev && readyRev.metadata.name === created.metadata.name)
      for (const r of fresh)
        if (r.metadata.name !== readyRev.metadata.name) {
          const d = await this.api.getOrUndefined(`${at(DEPLOY, ns)}/${r.metadata.name}-deployment`)
          await this.scale(ns, DEPLOY, d, 0)
        }
  }

  /** The Revision reconciler: the image resolved to a digest, the Deployment, then the Revision's status. */
  private async revision(rev: Obj, latest: boolean): Promise<void> {
    const ns = rev.metadata.namespace!
    const spec = (rev.spec ?? {}) as {
      containers?: { name?: string; image: string; [k: string]: unknown }[]
      initContainers?: { name: string; image: string }[]
      containerConcurrency?: number
      timeoutSeconds?: number
      [k: string]: unknown
    }
    const prev = rev.status as { conditions?: Cond[]; containerStatuses?: object[] } | undefined
    const status = (cs: Cond[], extra: object = {}): Promise<void> =>
      this.writeStatus(at(REV, ns), rev, {
        observedGeneration: rev.metadata.generation,
        conditions: conditions(prev?.conditions, cs),
        ...extra
      })
    // Tag to digest, as Knative's revision reconciler does before it creates anything.
    const digests: { name: string; imageDigest: string }[] = []
    for (const c of spec.containers ?? []) {
      const at = /@(sha256:[0-9a-f]{64})$/.exec(c.image)?.[1]
      const d = at ?? this.w.registry.resolve(c.image, ns)
      if (!d) {
        const unauthorized = this.w.registry.behavior(c.image, ns).pull === 'unauthorized'
        const message = `Unable to fetch image "${c.image}": failed to resolve image to digest: ${resolveError(c.image, unauthorized)}`
        return await status([
          { type: 'Active', status: 'Unknown' },
          { type: 'ContainerHealthy', status: 'False', reason: 'ContainerMissing', message },
          { type: 'Ready', status: 'False', reason: 'ContainerMissing', message },
          { type: 'ResourcesAvailable', status: 'Unknown' }
        ])
      }
      digests.push({ name: c.name ?? 'user-container', imageDigest: `${repoOf(c.image)}@${d}` })
    }
    const dname = `${rev.metadata.name}-deployment`
    let d = await this.api.getOrUndefined(`${at(DEPLOY, ns)}/${dname}`)
    if (!d) {
      if (!latest) return
      const { containerConcurrency: _cc, timeoutSeconds, containers, ...podSpec } = spec
      const labels = {
        ...rev.metadata.labels,
        app: rev.metadata.name,
        'serving.knative.dev/revision': rev.metadata.name,
        'serving.knative.dev/revisionUID': rev.metadata.uid!
      }
      delete (labels as Record<string, string>)['serving.knative.dev/routingState']
      d = await this.api.create(at(DEPLOY, ns), {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: dname,
          namespace: ns,
          labels,
          ownerReferences: [owner(rev, 'serving.knative.dev/v1', 'Revision')]
        },
        spec: {
          replicas: 1,
          progressDeadlineSeconds: 600,
          selector: { matchLabels: { 'serving.knative.dev/revisionUID': rev.metadata.uid } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
          template: {
            metadata: {
              labels,
              ...(rev.metadata.annotations ? { annotations: rev.metadata.annotations } : {})
            },
            spec: {
              ...podSpec,
              enableServiceLinks: false,
              terminationGracePeriodSeconds: timeoutSeconds ?? 300,
              containers: [
                ...(containers ?? []).map((c, i) => ({
                  ...c,
                  name: c.name ?? 'user-container',
                  image: digests[i]!.imageDigest,
                  env: [...((c.env as object[] | undefined) ?? []), { name: 'PORT', value: '8080' }]
                })),
                {
                  name: 'queue-proxy',
                  image: QUEUE_PROXY,
                  ports: [
                    { name: 'http-queueadm', containerPort: 8022 },
                    { name: 'http1', containerPort: 8012 }
                  ],
                  resources: { requests: { cpu: '25m' } },
                  env: [
                    {
                      name: 'SERVING_SERVICE',
                      value: rev.metadata.labels?.['serving.knative.dev/service'] ?? ''
                    },
                    { name: 'SERVING_REVISION', value: rev.metadata.name }
                  ]
                }
              ]
            }
          }
        }
      })
    }
    const available = (d.status?.availableReplicas ?? 0) > 0
    const base = { containerStatuses: digests, actualReplicas: d.status?.readyReplicas ?? 0 }
    if (available || cond(rev, 'Ready')?.status === 'True')
      return await status(
        [
          { type: 'Active', status: 'True' },
          { type: 'ContainerHealthy', status: 'True' },
          { type: 'Ready', status: 'True' },
          { type: 'ResourcesAvailable', status: 'True' }
        ],
        base
      )
    // Not available yet: a container that exited says why (Knative reads the pods' last termination).
    const pods = await this.api.list(
      `/api/v1/namespaces/${ns}/pods?labelSelector=${sel({ 'serving.knative.dev/revisionUID': rev.metadata.uid! })}`
    )
    // Knative reads the first pod: one the scheduler cannot place makes the revision's resources unavailable.
    for (const p of pods.slice(0, 1)) {
      const unscheduled = ((p.status?.conditions ?? []) as Cond[]).find(
        x => x.type === 'PodScheduled' && x.status === 'False'
      )
      if (unscheduled)
        return await status(
          [
            { type: 'Active', status: 'Unknown' },
            { type: 'ContainerHealthy', status: 'Unknown' },
            { type: 'Ready', status: 'False', reason: unscheduled.reason, message: unscheduled.message },
            {
              type: 'ResourcesAvailable',
              status: 'False',
              reason: unscheduled.reason,
              message: unscheduled.message
            }
          ],
          base
        )
    }
    for (const p of pods.slice(0, 1))
      for (const cs of (p.status?.containerStatuses ?? []) as {
        name: string
        lastState?: { terminated?: { exitCode: number; message?: string } }
      }[]) {
        const t = cs.lastState?.terminated
        if (cs.name === 'queue-proxy' || !t) continue
        const message = `Container failed with: ${t.message || (t.exitCode === 0 ? 'container exited with no error' : '')}`
        return await status(
          [
            { type: 'Active', status: 'Unknown' },
            { type: 'ContainerHealthy', status: 'False', reason: `ExitCode${t.exitCode}`, message },
            { type: 'Ready', status: 'False', reason: `ExitCode${t.exitCode}`, message },
            { type: 'ResourcesAvailable', status: 'Unknown', reason: 'Deploying' }
          ],
          base
        )
      }
    await status(
      [
        { type: 'Active', status: 'Unknown', reason: 'Deploying' },
        { type: 'ContainerHealthy', status: 'Unknown' },
        { type: 'Ready', status: 'Unknown', reason: 'Deploying' },
        { type: 'ResourcesAvailable', status: 'Unknown', reason: 'Deploying' }
      ],
      base
    )
  }

  // ---- KServe: InferenceService → Knative Service (Serverless mode) ----

  private async kserve(isvc: Obj): Promise<void> {
    const ns = isvc.metadata.namespace!
    const name = isvc.metadata.name
    const predictor = (isvc.spec?.predictor ?? {}) as {
      containers?: { name?: string; image: string }[]
      model?: { modelFormat?: { name?: string }; storageUri?: string; runtime?: string }
    }
    const ksvcName = `${name}-predictor`
    const storageUri = predictor.model?.storageUri
    const containers = predictor.containers?.length
      ? predictor.containers.map(c => ({ ...c, name: c.name || 'kserve-container' }))
      : [
          {
            name: 'kserve-container',
            image: SKLEARN_RUNTIME,
            args: [`--model_name=${name}`, '--model_dir=/mnt/models', '--http_port=8080'],
            resources: { requests: { cpu: '100m', memory: '256Mi' } }
          }
        ]
    const labels = { 'serving.kserve.io/inferenceservice': name, component: 'predictor' }
    const template = {
      metadata: {
        labels: { ...labels, app: `isvc.${ksvcName}` },
        annotations: {
          'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
          'autoscaling.knative.dev/min-scale': '1',
          ...(storageUri ? { 'internal.serving.kserve.io/storage-initializer-sourceuri': storageUri } : {})
        }
      },
      spec: {
        containerConcurrency: 0,
        timeoutSeconds: 300,
        containers,
        // KServe's pod webhook injects this at pod creation; there are no webhooks here, so it is in the template.
        ...(storageUri
          ? {
              initContainers: [
                {
                  name: 'storage-initializer',
                  image: STORAGE_INITIALIZER,
                  args: [storageUri, '/mnt/models'],
                  terminationMessagePolicy: 'FallbackToLogsOnError',
                  resources: { requests: { cpu: '100m', memory: '100Mi' } }
                }
              ]
            }
          : {})
      }
    }
    let ksvc = await this.api.getOrUndefined(`${at(KSVC, ns)}/${ksvcName}`)
    if (!ksvc || canon(ksvc.spec?.template) !== canon(template))
      ksvc = await this.api.apply(
        `${at(KSVC, ns)}/${ksvcName}`,
        {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          metadata: {
            name: ksvcName,
            namespace: ns,
            labels,
            ownerReferences: [owner(isvc, 'serving.kserve.io/v1beta1', 'InferenceService')]
          },
          spec: { template }
        },
        'kserve-controller'
      )
    const ks = (ksvc.status ?? {}) as {
      observedGeneration?: number
      latestCreatedRevisionName?: string
      latestReadyRevisionName?: string
      traffic?: object[]
    }
    // The Knative Service has not seen its latest spec yet: KServe waits for it too.
    if ((ks.observedGeneration ?? 0) < (ksvc.metadata.generation ?? 0)) return
    const from = (type: string, as: string): Cond => {
      const c = cond(ksvc, type)
      return { ...c, type: as, status: c?.status ?? 'Unknown' }
    }
    const predictorReady = from('Ready', 'PredictorReady')
    const routes = from('RoutesReady', 'PredictorRouteReady')
    const ingress: Cond =
      routes.status === 'True'
        ? { type: 'IngressReady', status: 'True' }
        : { type: 'IngressReady', status: 'Unknown', reason: 'PredictorIngressNotCreated' }
    const ready: Cond =
      predictorReady.status === 'True' && ingress.status === 'True'
        ? { type: 'Ready', status: 'True' }
        : { ...(predictorReady.status !== 'True' ? predictorReady : ingress), type: 'Ready' }
    // The model's status from the pods of the latest revision: a storage initializer or server that failed.
    const created = ks.latestCreatedRevisionName
    const pods = created
      ? await this.api.list(
          `/api/v1/namespaces/${ns}/pods?labelSelector=${sel({ ...labels, 'serving.knative.dev/revision': created })}`
        )
      : []
    type CS = {
      name: string
      state?: { waiting?: { reason?: string }; terminated?: { exitCode: number; message?: string } }
      lastState?: { terminated?: { exitCode: number; message?: string } }
    }
    let failure: object | undefined
    for (const p of pods) {
      const all = [
        ...((p.status?.initContainerStatuses ?? []) as CS[]).filter(c => c.name === 'storage-initializer'),
        ...((p.status?.containerStatuses ?? []) as CS[]).filter(c => c.name === 'kserve-container')
      ]
      for (const cs of all) {
        const t =
          cs.state?.terminated && cs.state.terminated.exitCode !== 0
            ? cs.state.terminated
            : cs.state?.waiting?.reason === 'CrashLoopBackOff'
              ? cs.lastState?.terminated
              : undefined
        if (t && !failure)
          failure = {
            location: p.metadata.name,
            reason: 'ModelLoadFailed',
            ...(t.message ? { message: t.message } : {}),
            exitCode: t.exitCode
          }
      }
    }
    const upToDate = ready.status === 'True' && created === ks.latestReadyRevisionName
    const prev = isvc.status as { conditions?: Cond[] } | undefined
    await this.writeStatus(at(ISVC, ns), isvc, {
      // KServe copies it from the Knative Service beneath.
      observedGeneration: ks.observedGeneration,
      url: `http://${name}.${ns}.example.com`,
      address: { url: `http://${ksvcName}.${ns}.svc.cluster.local` },
      deploymentMode: 'Serverless',
      components: {
        predictor: {
          ...(created ? { latestCreatedRevision: created } : {}),
          ...(ks.latestReadyRevisionName
            ? {
                latestReadyRevision: ks.latestReadyRevisionName,
                latestRolledoutRevision: ks.latestReadyRevisionName
              }
            : {}),
          url: `http://${ksvcName}.${ns}.example.com`,
          ...(ks.traffic ? { traffic: ks.traffic } : {})
        }
      },
      conditions: conditions(prev?.conditions, [
        ingress,
        from('ConfigurationsReady', 'LatestDeploymentReady'),
        from('ConfigurationsReady', 'PredictorConfigurationReady'),
        predictorReady,
        routes,
        ready
      ]),
      modelStatus: failure
        ? {
            transitionStatus: 'BlockedByFailedLoad',
            states: {
              activeModelState: ks.latestReadyRevisionName ? 'Loaded' : 'FailedToLoad',
              targetModelState: 'FailedToLoad'
            },
            lastFailureInfo: failure
          }
        : {
            transitionStatus: upToDate ? 'UpToDate' : 'InProgress',
            states: {
              activeModelState: ks.latestReadyRevisionName ? 'Loaded' : 'Pending',
              targetModelState: upToDate ? 'Loaded' : 'Loading'
            }
          }
    })
  }

  // ---- Argo Rollouts: canary strategy without traffic routing ----

  private async rollout(ro: Obj): Promise<void> {
    const ns = ro.metadata.namespace!
    const name = ro.metadata.name
    const replicas = (ro.spec?.replicas as number | undefined) ?? 1
    const tpl = ro.spec?.template as { metadata?: { labels?: Record<string, string> }; spec: object }
    const matchLabels = (ro.spec?.selector?.matchLabels ?? {}) as Record<string, string>
    const steps = (ro.spec?.strategy?.canary?.steps ?? []) as Record<string, unknown>[]
    const hash = templateHash(tpl)
    const st = (ro.status ?? {}) as {
      currentPodHash?: string
      stableRS?: string
      currentStepIndex?: number
      pauseConditions?: { reason: string; startTime: string }[]
      controllerPause?: boolean
      abort?: boolean
      abortedAt?: string
      message?: string
      conditions?: Cond[]
    }
    const owned = (await this.api.list(`${at(RS, ns)}?labelSelector=${sel(matchLabels)}`)).filter(rs =>
      rs.metadata.ownerReferences?.some(r => r.uid === ro.metadata.uid)
    )
    const revisionOf = (rs: Obj): number =>
      Number(rs.metadata.annotations?.['rollout.argoproj.io/revision'] ?? 0)
    let newRS = owned.find(rs => rs.metadata.labels?.['rollouts-pod-template-hash'] === hash)
    if (!newRS) {
      const revision = Math.max(0, ...owned.map(revisionOf)) + 1
      const podLabels = { ...tpl.metadata?.labels, 'rollouts-pod-template-hash': hash }
      newRS = await this.api.create(at(RS, ns), {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace: ns,
          labels: podLabels,
          annotations: { 'rollout.argoproj.io/revision': String(revision) },
          ownerReferences: [owner(ro, 'argoproj.io/v1alpha1', 'Rollout')]
        },
        spec: {
          replicas: 0,
          selector: { matchLabels: { ...matchLabels, 'rollouts-pod-template-hash': hash } },
          template: { ...tpl, metadata: { ...tpl.metadata, labels: podLabels } }
        }
      })
      owned.push(newRS)
    }
    const changed = st.currentPodHash !== hash
    let stepIndex = changed ? 0 : (st.currentStepIndex ?? 0)
    let pauseConditions = changed ? [] : (st.pauseConditions ?? [])
    let controllerPause = changed ? false : Boolean(st.controllerPause)
    let abort = changed ? false : Boolean(st.abort)
    let message = changed ? undefined : st.message
    // The first revision is stable at once (an initial deploy runs no steps).
    let stable = st.stableRS ?? hash
    const stableRS = owned.find(rs => rs.metadata.labels?.['rollouts-pod-template-hash'] === stable)
    const avail = (rs: Obj | undefined): number => rs?.status?.availableReplicas ?? 0
    const others = owned.filter(rs => rs !== newRS && rs !== stableRS)
    for (const rs of others) await this.scale(ns, RS, rs, 0)
    let phase: string
    const revision = revisionOf(newRS)
    if (hash === stable) {
      stepIndex = steps.length
      pauseConditions = []
      controllerPause = false
      await this.scale(ns, RS, newRS, replicas)
      const done = avail(newRS) >= replicas
      if (done) for (const rs of owned) if (rs !== newRS) await this.scale(ns, RS, rs, 0)
      phase = done ? 'Healthy' : 'Progressing'
      message = done ? undefined : 'updated replicas are still becoming available'
    } else if (abort) {
      await this.scale(ns, RS, newRS, 0)
      await this.scale(ns, RS, stableRS, replicas)
      phase = 'Degraded'
    } else {
      phase = 'Progressing'
      message = 'more replicas need to be updated'
      for (;;) {
        const step = steps[stepIndex]
        if (!step) {
          // All steps done: the canary becomes the stable ReplicaSet.
          await this.scale(ns, RS, newRS, replicas)
          if (avail(newRS) >= replicas) {
            stable = hash
            await this.scale(ns, RS, stableRS, 0)
            phase = 'Healthy'
            message = undefined
          } else message = 'updated replicas are still becoming available'
          break
        }
        if (typeof step.setWeight === 'number') {
          const canary = Math.ceil((replicas * step.setWeight) / 100)
          await this.scale(ns, RS, newRS, canary)
          if (avail(newRS) < canary) break
          await this.scale(ns, RS, stableRS, Math.max(0, replicas - canary))
          stepIndex++
          continue
        }
        if (step.pause !== undefined) {
          // `kubectl argo rollouts promote` clears the pause conditions (and moves the step on).
          if (controllerPause && pauseConditions.length === 0) {
            controllerPause = false
            stepIndex++
            continue
          }
          const duration = (step.pause as { duration?: string | number }).duration
          if (!controllerPause) {
            pauseConditions = [{ reason: 'CanaryPauseStep', startTime: nowIso() }]
            controllerPause = true
          }
          if (duration !== undefined) {
            const secs = parseFloat(String(duration))
            const left =
              secs - (Date.now() - Date.parse(pauseConditions[0]!.startTime)) / this.w.clock.msPerSecond
            if (left <= 0) {
              pauseConditions = []
              controllerPause = false
              stepIndex++
              continue
            }
            this.later(ns, left)
          }
          phase = 'Paused'
          message = 'CanaryPauseStep'
          break
        }
        if (step.analysis !== undefined) {
          // The AnalysisRun of this step: the world's metric provider says how it assesses.
          const outcome = this.analysis.get(`${ns}/${name}`)
          const key = `${ro.metadata.uid}/${hash}/${stepIndex}`
          const left = (outcome?.after ?? 1) - this.sinceSeconds(key)
          if (left > 0) {
            this.later(ns, left)
            break
          }
          if (outcome && outcome.failed > outcome.failureLimit) {
            abort = true
            phase = 'Degraded'
            message = `RolloutAborted: Rollout aborted update to revision ${revision}: Metric "${outcome.metric}" assessed Failed due to failed (${outcome.failed}) > failureLimit (${outcome.failureLimit})`
            await this.scale(ns, RS, newRS, 0)
            await this.scale(ns, RS, stableRS, replicas)
            break
          }
          stepIndex++
          continue
        }
        stepIndex++
      }
    }
    const fresh = await this.api.list(`${at(RS, ns)}?labelSelector=${sel(matchLabels)}`)
    const mine = fresh.filter(rs => rs.metadata.ownerReferences?.some(r => r.uid === ro.metadata.uid))
    const cur = mine.find(rs => rs.metadata.labels?.['rollouts-pod-template-hash'] === hash)
    const sum = (f: string): number => mine.reduce((n, rs) => n + ((rs.status?.[f] as number) ?? 0), 0)
    const available = sum('availableReplicas')
    const healthy = phase === 'Healthy'
    const paused = phase === 'Paused'
    const cs: Cond[] = [
      {
        type: 'Available',
        status: available >= replicas ? 'True' : 'False',
        reason: 'AvailableReason',
        message:
          available >= replicas
            ? 'Rollout has minimum availability'
            : 'Rollout does not have minimum availability'
      },
      abort
        ? { type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: message ?? '' }
        : paused
          ? { type: 'Progressing', status: 'Unknown', reason: 'RolloutPaused', message: 'Rollout is paused' }
          : healthy
            ? {
                type: 'Progressing',
                status: 'True',
                reason: 'NewReplicaSetAvailable',
                message: `Rollout "${name}" has successfully progressed.`
              }
            : {
                type: 'Progressing',
                status: 'True',
                reason: 'ReplicaSetUpdated',
                message: `ReplicaSet "${name}-${hash}" is progressing.`
              },
      {
        type: 'Paused',
        status: paused ? 'True' : 'False',
        reason: paused ? 'RolloutPaused' : 'RolloutResumed',
        message: paused ? 'Rollout is paused' : 'Rollout is resumed'
      },
      {
        type: 'Healthy',
        status: healthy ? 'True' : 'False',
        reason: 'RolloutHealthy',
        message: healthy ? 'Rollout is healthy' : 'Rollout is not healthy'
      },
      {
        type: 'Completed',
        status: healthy ? 'True' : 'False',
        reason: healthy ? 'RolloutCompleted' : 'RolloutNotCompleted',
        message: healthy
          ? `Rollout completed update to revision ${revision} (${hash}): Rollout is Healthy`
          : `Rollout not completed, started update to revision ${revision} (${hash})`
      }
    ]
    await this.writeStatus(at(RO, ns), ro, {
      // Argo Rollouts writes observedGeneration as a string.
      observedGeneration: String(ro.metadata.generation),
      phase,
      ...(message ? { message } : {}),
      currentPodHash: hash,
      currentStepHash: templateHash(steps),
      ...(steps.length ? { currentStepIndex: stepIndex } : {}),
      stableRS: stable,
      ...(pauseConditions.length ? { pauseConditions } : {}),
      ...(controllerPause ? { controllerPause: true } : {}),
      ...(abort ? { abort: true, abortedAt: (!changed && st.abortedAt) || nowIso() } : {}),
      replicas: sum('replicas'),
      updatedReplicas: cur?.status?.replicas ?? 0,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: available,
      HPAReplicas: sum('replicas'),
      selector: Object.entries(matchLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      canary: {},
      blueGreen: {},
      conditions: conditions(st.conditions, cs)
    })
  }

  // ---- a team's own operator: Database, kstatus conditions ----

  private async database(db: Obj): Promise<void> {
    const ns = db.metadata.namespace!
    const gen = db.metadata.generation ?? 1
    const version = String(db.spec?.version ?? '')
    const op = this.databases
    let cs: Cond[]
    if (!op.supported.includes(version.split('.')[0]!)) {
      const message = `postgres ${version} is not offered by storage class fast-ssd; supported: ${op.supported.join(', ')}`
      cs = [
        { type: 'Stalled', status: 'True', reason: 'UnsupportedVersion', message },
        { type: 'Ready', status: 'False', reason: 'UnsupportedVersion', message }
      ]
    } else {
      const left = op.provisionSeconds - this.sinceSeconds(`${db.metadata.uid}/${gen}`)
      if (left > 0) {
        this.later(ns, left)
        cs = [
          { type: 'Reconciling', status: 'True', reason: 'Provisioning', message: 'creating the primary' },
          { type: 'Ready', status: 'False', reason: 'Provisioning', message: 'creating the primary' }
        ]
      } else
        cs = [{ type: 'Ready', status: 'True', reason: 'Available', message: 'primary and 2 replicas up' }]
    }
    const prev = db.status as { conditions?: Cond[] } | undefined
    const kept = conditions(prev?.conditions, cs).map(c => ({ ...c, observedGeneration: gen }))
    await this.writeStatus(at(DB, ns), db, { observedGeneration: gen, conditions: kept })
  }
}

function generationOf(rev: Obj): number {
  return Number(rev.metadata.labels?.['serving.knative.dev/configurationGeneration'] ?? 0)
}

/** `kubectl argo rollouts promote`: clears the pause and moves the canary to its next step. */
export async function promote(w: RealWorld, ns: string, name: string): Promise<void> {
  const ro = await w.api.get(`${at(RO, ns)}/${name}`)
  await w.api.patch(`${at(RO, ns)}/${name}/status`, {
    status: { pauseConditions: null, currentStepIndex: (ro.status?.currentStepIndex ?? 0) + 1 }
  })
}
