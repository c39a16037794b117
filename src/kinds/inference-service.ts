// serving.kserve.io/v1beta1 InferenceService (KServe): Ready is PredictorReady and IngressReady together; each
// component's latest created revision must be its latest ready one; a model that fails to load is named with
// KServe's own failure info. Its pods carry the `serving.kserve.io/inferenceservice` label.
//
// KServe copies observedGeneration from the Knative Service (or Deployment) beneath, not from the
// InferenceService, so the shared generation check cannot apply: the revisions and the digest say it instead.
import type { Condition, Container, ObjectMeta } from '../kube/types.js'
import { isPodReady } from '../kube/pod.js'
import { condition, live, type Kind, type RolloutState } from './kind.js'
import { awaitingScheduling, revisionFailureVerdict } from './knative-service.js'

interface Component {
  containers?: Container[]
  /** The model server: a container spec of its own (`kserve-container` once deployed). */
  model?: Container & { modelFormat?: { name?: string }; storageUri?: string }
}

export interface InferenceService {
  kind?: string
  metadata: ObjectMeta
  spec?: { predictor?: Component; transformer?: Component; explainer?: Component }
  status?: {
    observedGeneration?: number
    conditions?: Condition[]
    url?: string
    deploymentMode?: string
    components?: Record<string, { latestCreatedRevision?: string; latestReadyRevision?: string }>
    modelStatus?: {
      transitionStatus?: 'UpToDate' | 'InProgress' | 'BlockedByFailedLoad' | 'InvalidSpec' | string
      states?: { activeModelState?: string; targetModelState?: string }
      lastFailureInfo?: { location?: string; reason?: string; message?: string; exitCode?: number }
    }
  }
}

/** KServe names the container of a predictor, transformer or explainer `kserve-container`. */
const SERVER = 'kserve-container'
const COMPONENT_READY = ['PredictorReady', 'TransformerReady', 'ExplainerReady']

function containers(isvc: InferenceService): Container[] {
  const p = isvc.spec?.predictor
  if (p?.containers?.length) return p.containers.map(c => ({ ...c, name: c.name || SERVER }))
  return p?.model ? [{ name: SERVER, ...(p.model.image ? { image: p.model.image } : {}) }] : []
}

function modelFailure(
  isvc: InferenceService,
  label: string
): { reason: string; verdict: 'crash-loop' | 'config-error' } | undefined {
  const m = isvc.status?.modelStatus
  const info = m?.lastFailureInfo
  const blocked = m?.transitionStatus === 'BlockedByFailedLoad' || m?.transitionStatus === 'InvalidSpec'
  if (!blocked && m?.states?.targetModelState !== 'FailedToLoad') return undefined
  const why = info?.reason ?? m?.transitionStatus ?? 'FailedToLoad'
  return {
    verdict: m?.transitionStatus === 'InvalidSpec' ? 'config-error' : 'crash-loop',
    reason: `${label} cannot load its model (${why})${info?.message ? `: ${info.message.trim()}` : ''}`
  }
}

export const inferenceService: Kind<InferenceService> = {
  noun: 'isvc',
  title: 'InferenceService',
  aliases: [
    'isvc',
    'inferenceservice',
    'inferenceservices',
    'inferenceservice.serving.kserve.io',
    'inferenceservices.serving.kserve.io'
  ],
  resource: { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' },
  manifest: { group: 'serving.kserve.io', kind: 'InferenceService' },
  generation: 'none',
  readyMayBePrevious: true,
  controller: 'KServe controller',
  pods: {
    via: 'selector',
    selector: o => `serving.kserve.io/inferenceservice=${o.metadata.name}`,
    owned: false
  },
  containers,
  rule: ({ object: isvc, pods, label }): RolloutState => {
    const st = isvc.status ?? {}
    const components = Object.entries(st.components ?? {})
    const created = components.map(([, c]) => c.latestCreatedRevision).filter((r): r is string => Boolean(r))
    // Serverless mode: the pods of each component's latest revision. Raw deployment mode names no revision.
    const newPods = live(pods).filter(
      p => created.length === 0 || created.includes(p.metadata.labels?.['serving.knative.dev/revision'] ?? '')
    )
    const readyPods = newPods.filter(isPodReady).length
    const n = newPods.length
    const progress = { newPods, desired: n, updated: n, ready: readyPods, available: readyPods }
    const failed = modelFailure(isvc, label)
    if (failed) return { ...progress, phase: 'failed', ...failed }
    const behind = components.find(([, c]) => c.latestCreatedRevision !== c.latestReadyRevision)
    if (condition(st, 'Ready')?.status === 'True' && !behind) return { ...progress, phase: 'complete' }
    // IngressReady is False while the predictor is not ready yet: only a component's own failure is one, and
    // not a pod the scheduler has yet to place (Knative's Unschedulable heals when a node comes).
    const failing = COMPONENT_READY.map(t => condition(st, t)).find(
      c => c?.status === 'False' && c.reason && !awaitingScheduling(c.message)
    )
    if (failing)
      return {
        ...progress,
        phase: 'failed',
        verdict: revisionFailureVerdict(failing.message),
        reason: `${label} is not Ready (${failing.type} ${failing.reason}): ${failing.message ?? ''}`.trim()
      }
    const pending = ['PredictorReady', 'IngressReady', 'Ready']
      .map(t => condition(st, t))
      .find(c => c?.status !== 'True')
    return {
      ...progress,
      phase: 'progressing',
      waitingFor: behind
        ? `${behind[0]} revision ${behind[1].latestCreatedRevision ?? '(not created yet)'} to become Ready${pending?.reason ? ` (${pending.reason})` : ''}`
        : `${pending?.type ?? 'Ready'} to become True${pending?.reason ? ` (${pending.reason})` : ''}`
    }
  },
  commands: {
    inspect: t => `kubectl get inferenceservice ${t.name} -n ${t.namespace} -o yaml`
  }
}
