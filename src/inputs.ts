// Raw INPUT_* values to one validated Settings object. With src/inputs/ (one parser per group of inputs), the only
// place that knows input names; every error names its input and shows a valid example.
import type { DigestSource } from './digest/sources.js'
import { InputError } from './errors.js'
import { selectorRef } from './kinds/registry.js'
import type { KubeconfigSource } from './kube/config.js'
import type { WorkloadRef } from './refs.js'
import type { GitopsSource } from './gitops/stage.js'
import {
  deploymentStatusOf,
  kubeconfigSource,
  parseContexts,
  type ContextList,
  type DeploymentStatusSettings
} from './inputs/access.js'
import { parseDigestSource } from './inputs/digest.js'
import { parseGitops } from './inputs/gitops.js'
import { parseDurationInput, parseGrace, parseSoak } from './inputs/timing.js'
import { parseWorkloads } from './inputs/workloads.js'
import { DNS1123_LABEL, parseBool, parseNamespace, show, validSelector } from './inputs/words.js'

export type { WorkloadKind, WorkloadRef } from './refs.js'
export type { DigestSource } from './digest/sources.js'
export type { KubeconfigSource } from './kube/config.js'
export { InputError } from './errors.js'
export type { ContextList } from './inputs/access.js'
export { parseContexts } from './inputs/access.js'
export { GITOPS_INPUTS } from './inputs/gitops.js'
export { defaultGraceMs } from './inputs/timing.js'
export { parseWorkload, parseWorkloads } from './inputs/workloads.js'
export { formatDuration } from './duration.js'

export type { GitopsSource } from './gitops/stage.js'

/** What the step verifies: the workloads it names, or those a deploy tool applied (Helm, Argo CD, Flux). */
export type Target =
  | {
      /** The first (or only) workload. */
      workload: WorkloadRef
      /** Every workload of the step: one, or a list verified together under one deadline. */
      workloads: WorkloadRef[]
      gitops?: undefined
    }
  /** The tool's own list is verified once it has applied the change: no workload is named. */
  | { gitops: GitopsSource; workload?: undefined; workloads: [] }

export type Settings = Target & CommonSettings

export interface CommonSettings {
  /** Undefined: the kubeconfig context's namespace, else `default`. */
  namespace?: string
  digest?: DigestSource
  container?: string
  timeoutMs: number
  graceMs: number
  /** How long the new pods must keep working after the rollout is complete (0: no soak). */
  soakMs: number
  kubeconfig: KubeconfigSource
  /** One context (undefined: the current one); `contexts` instead when the step verifies several clusters. */
  context?: string
  contexts?: ContextList
  failOnVerdict: boolean
  /** Paths or globs of the applied YAML, for annotations on the line that needs the change. */
  manifests: string[]
  deploymentStatus?: DeploymentStatusSettings
}

/** `get` returns the raw value of an input, '' when unset (as @actions/core's getInput does). */
export function readSettings(get: (name: string) => string): Settings {
  const gitops = parseGitops(get)
  const selector = get('selector').trim()
  if (selector && get('workload').trim())
    throw new InputError('selector', "conflicts with 'workload'; give one of them", 'app=web')
  if (selector && !validSelector(selector))
    throw new InputError(
      'selector',
      `${show(selector)} is not a label selector`,
      'app=web,tier in (api,worker)'
    )
  const target: Target = gitops
    ? { gitops, workloads: [] }
    : (() => {
        const workloads = selector ? [selectorRef(selector)] : parseWorkloads(get('workload'))
        return { workload: workloads[0]!, workloads }
      })()
  const namespace = parseNamespace('namespace', get('namespace'))
  const digest = parseDigestSource(get, namespace)
  const container = get('container').trim() || undefined
  if (container !== undefined && !DNS1123_LABEL.test(container)) {
    throw new InputError('container', `is ${show(container)}, which is not a container name`, 'web')
  }
  const timeoutMs = parseDurationInput('timeout', get('timeout'), '10m')
  const graceMs = parseGrace(get('grace'), timeoutMs, get('timeout').trim() || '10m')
  const soakMs = parseSoak(get('soak'), timeoutMs, get('timeout').trim() || '10m')
  const kubeconfig = kubeconfigSource(get('kubeconfig'))
  const clusters = parseContexts(get('context'))
  return {
    ...target,
    ...(namespace ? { namespace } : {}),
    ...(digest ? { digest } : {}),
    ...(container ? { container } : {}),
    timeoutMs,
    graceMs,
    soakMs,
    kubeconfig,
    ...clusters,
    failOnVerdict: parseBool('fail-on-verdict', get('fail-on-verdict'), true),
    manifests: get('manifests')
      .split(/[\n,]/)
      .map(m => m.trim())
      .filter(m => m !== ''),
    ...deploymentStatusOf(get)
  }
}
