// The registry of workload kinds: one line per kind (its name is in src/refs.ts' WorkloadKind). Inputs, reader, decision, manifests and reporters find a
// kind's facts here, never by its name elsewhere.
import type { WorkloadObject } from '../kube/types.js'
import { argoRollout } from './argo-rollout.js'
import { daemonSet } from './daemonset.js'
import { deployment } from './deployment.js'
import { generic } from './generic.js'
import { inferenceService } from './inference-service.js'
import { job } from './job.js'
import type { Kind } from './kind.js'
import { knativeService } from './knative-service.js'
import { podsBySelector } from './pods-by-selector.js'
import { statefulSet } from './statefulset.js'
import type { Resource, WorkloadKind, WorkloadRef } from '../refs.js'

export const KINDS = {
  Deployment: deployment,
  StatefulSet: statefulSet,
  DaemonSet: daemonSet,
  Job: job,
  KnativeService: knativeService,
  Rollout: argoRollout,
  InferenceService: inferenceService,
  /** Bare pods (or anything else) found by the `selector` input. */
  Pods: podsBySelector,
  /** Any other kind, by its standard conditions: `RESOURCE.VERSION.GROUP/NAME`. */
  Generic: generic
} as const satisfies Record<WorkloadKind, object>

const GENERIC_KIND = 'Generic' satisfies WorkloadKind

export function kindOf(ref: WorkloadRef): Kind<WorkloadObject> {
  return KINDS[ref.kind] as unknown as Kind<WorkloadObject>
}

/** Where the API serves the workload; undefined for pods found by selector. */
export function resourceOf(ref: WorkloadRef): Resource | undefined {
  return 'resource' in ref ? ref.resource : kindOf(ref).resource
}

/** How a workload is named in words: `deployment/web`, `ksvc/web`, `pods -l app=web`, `databases.example.com/orders`. */
export function nameOf(ref: WorkloadRef): string {
  if ('resource' in ref) return `${ref.resource.plural}.${ref.resource.group}/${ref.name}`
  const kind = kindOf(ref)
  return kind.pods.via === 'name-is-selector' ? `pods -l ${ref.name}` : `${kind.noun}/${ref.name}`
}

export function selectorRef(selector: string): WorkloadRef {
  return { kind: 'Pods', name: selector }
}

const VERSION = /^v\d+(?:(?:alpha|beta)\d+)?$/

/**
 * The kind a `workload` input's KIND names: an alias of a registered kind, else `RESOURCE.VERSION.GROUP` for any
 * other kind (as kubectl writes `deployments.v1.apps`); undefined when it is neither.
 */
export function kindByAlias(
  text: string
): { kind: Exclude<WorkloadKind, 'Generic'> } | { kind: 'Generic'; resource: Resource } | undefined {
  const t = text.toLowerCase()
  for (const [kind, k] of Object.entries(KINDS) as [WorkloadKind, Kind<never>][])
    if (kind !== GENERIC_KIND && k.aliases.includes(t))
      return { kind: kind as Exclude<WorkloadKind, 'Generic'> }
  const [plural, version, ...group] = t.split('.')
  if (plural && version && VERSION.test(version) && group.length > 0)
    return { kind: GENERIC_KIND, resource: { group: group.join('.'), version, plural } }
  return undefined
}

/** The registered kind an applied manifest is, by its apiVersion's group and its kind. */
export function kindOfManifest(
  apiVersion: string,
  kind: string
): Exclude<WorkloadKind, 'Generic'> | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : ''
  for (const [name, k] of Object.entries(KINDS) as [WorkloadKind, Kind<never>][])
    if (k.manifest && k.manifest.group === group && k.manifest.kind === kind)
      return name as Exclude<WorkloadKind, 'Generic'>
  return undefined
}

/** Whether an applied manifest (apiVersion, kind) is this workload's kind. */
export function manifestMatches(ref: WorkloadRef, apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : ''
  if ('resource' in ref) {
    // Any other kind: the group must match, and the kind be the resource's singular (`Database` for `databases`).
    const k = kind.toLowerCase()
    return (
      group === ref.resource.group &&
      [`${k}s`, `${k}es`, k.replace(/y$/, 'ies')].includes(ref.resource.plural)
    )
  }
  const m = kindOf(ref).manifest
  return m !== undefined && m.group === group && m.kind === kind
}

/** The aliases the workload input accepts, for its error message. */
export function supportedKinds(): string {
  return Object.values(KINDS)
    .filter(k => k.aliases.length > 0)
    .map(k => `${k.aliases[0]}${k.title.toLowerCase() === k.aliases[0] ? '' : ` (${k.title})`}`)
    .join(', ')
}
