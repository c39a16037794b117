// Raw INPUT_* values to one validated Settings object. The only module that knows input names; every
// error names its input and shows a valid example.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseDigestRef, DigestSyntaxError, type DigestRef } from './digest/digest.js'
import { parseDigestFile, DigestFileError, type DigestSource } from './digest/sources.js'
import { parseDuration, DurationError } from './duration.js'
import { InputError } from './errors.js'
import { kindByAlias, nameOf, selectorRef, supportedKinds } from './kinds/registry.js'
import type { KubeconfigSource } from './kube/config.js'
import type { WorkloadRef } from './refs.js'
import { parseRevision, RevisionSyntaxError } from './gitops/revision.js'
import type { GitopsSource } from './gitops/stage.js'

export type { WorkloadKind, WorkloadRef } from './refs.js'
export type { DigestSource } from './digest/sources.js'
export type { KubeconfigSource } from './kube/config.js'
export { InputError } from './errors.js'

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
  deploymentStatus?: { token: string; deploymentId?: number; environment?: string }
}

/** Several clusters, each verified at once with the same inputs: named contexts, or every context (`*`). */
export type ContextList = { every: true } | { names: readonly [string, string, ...string[]] }

const CONTEXT_EXAMPLE = 'staging, prod-eu, prod-us (or * for every context of the kubeconfig)'

/** `context`: one name, several (new lines or commas), or `*`. */
export function parseContexts(raw: string): { context?: string; contexts?: ContextList } {
  const items = [
    ...new Set(
      raw
        .split(/[\n,]/)
        .map(x => x.trim())
        .filter(x => x !== '')
    )
  ]
  if (items.includes('*')) {
    if (items.length > 1)
      throw new InputError('context', `mixes * with context names (${show(raw)})`, CONTEXT_EXAMPLE)
    return { contexts: { every: true } }
  }
  if (items.length > 20)
    throw new InputError('context', `lists ${items.length} contexts; at most 20 in one step`, CONTEXT_EXAMPLE)
  const [first, second, ...rest] = items
  if (first === undefined) return {}
  return second === undefined ? { context: first } : { contexts: { names: [first, second, ...rest] } }
}

const LATER_KINDS = ['service', 'svc']

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

function show(v: string): string {
  const oneLine = v.replace(/[\r\n]+/g, ' ')
  return JSON.stringify(oneLine.length > 60 ? oneLine.slice(0, 57) + '...' : oneLine)
}

/** One workload, or a list (new lines or commas): `deployment/web, deployment/api, job/migrate-42`. */
export function parseWorkloads(raw: string): WorkloadRef[] {
  const items = raw
    .split(/[\n,]/)
    .map(x => x.trim())
    .filter(x => x !== '')
  if (items.length <= 1) return [parseWorkload(raw.replace(/,\s*$/, ''))]
  if (items.length > 50)
    throw new InputError(
      'workload',
      `lists ${items.length} workloads; at most 50 in one step`,
      'deployment/web, deployment/api'
    )
  const refs = items.map(parseWorkload)
  const seen = new Set<string>()
  for (const r of refs) {
    const key = nameOf(r)
    if (seen.has(key))
      throw new InputError('workload', `lists ${show(key)} twice`, 'deployment/web, deployment/api')
    seen.add(key)
  }
  return refs
}

export function parseWorkload(raw: string): WorkloadRef {
  const ex = 'deployment/web'
  const v = raw.trim()
  if (v === '')
    throw new InputError(
      'workload',
      "is required (or 'selector' for pods by label, or a deploy tool: 'helm-release', 'argocd-application', 'flux-kustomization', 'flux-helmrelease')",
      ex
    )
  const parts = v.split('/')
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw new InputError('workload', `is ${show(v)}; write KIND/NAME`, ex)
  const kindText = parts[0].toLowerCase()
  const kind = kindByAlias(kindText)
  if (!kind) {
    const later = LATER_KINDS.some(k => kindText.startsWith(k))
    throw new InputError(
      'workload',
      `has kind ${show(parts[0])}${later ? ' (a core Service has no rollout; for a Knative Service write ksvc/NAME)' : ''}; supported: ${supportedKinds()}, or RESOURCE.VERSION.GROUP for any other kind with standard status conditions (databases.v1.example.com/NAME)`,
      ex
    )
  }
  const name = parts[1]
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    throw new InputError(
      'workload',
      `has name ${show(name)}, which is not a Kubernetes name (lowercase letters, digits, '-' and '.')`,
      ex
    )
  }
  return { ...kind, name }
}

function parseNamespace(input: string, raw: string): string | undefined {
  const v = raw.trim()
  if (v === '') return undefined
  if (v.length > 63 || !DNS1123_LABEL.test(v)) {
    throw new InputError(
      input,
      `is ${show(v)}, which is not a namespace name (lowercase letters, digits and '-', at most 63)`,
      'shop'
    )
  }
  return v
}

function parseBool(input: string, raw: string, dflt: boolean): boolean {
  const v = raw.trim().toLowerCase()
  if (v === '') return dflt
  if (['true', 'yes', '1'].includes(v)) return true
  if (['false', 'no', '0'].includes(v)) return false
  throw new InputError(input, `is ${show(raw)}; use true or false`, String(dflt))
}

function parseDurationInput(input: string, raw: string, dflt: string): number {
  try {
    return parseDuration(raw.trim() === '' ? dflt : raw)
  } catch (e) {
    if (e instanceof DurationError) throw new InputError(input, `${show(raw)} ${e.message}`, dflt)
    throw e
  }
}

/** `2s`, `2m30s`, `1h`: a duration as the inputs take it (whole seconds; under a second, `ms`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))}ms`
  let s = Math.floor(ms / 1000)
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`
}

/** The default grace: a quarter of `timeout`, at most 15 s. */
export function defaultGraceMs(timeoutMs: number): number {
  return Math.min(15_000, Math.floor(timeoutMs / 4))
}

/**
 * `grace`: empty (action.yml's default) means a quarter of `timeout`, at most 15 s, so a short timeout works
 * without it; an explicit grace must be shorter than `timeout`. Examples are always values that would pass.
 */
function parseGrace(raw: string, timeoutMs: number, timeoutText: string): number {
  const example = formatDuration(defaultGraceMs(timeoutMs))
  if (raw.trim() === '') return defaultGraceMs(timeoutMs)
  let graceMs: number
  try {
    graceMs = parseDuration(raw)
  } catch (e) {
    if (e instanceof DurationError) throw new InputError('grace', `${show(raw)} ${e.message}`, example)
    throw e
  }
  if (graceMs >= timeoutMs)
    throw new InputError(
      'grace',
      `is ${show(raw.trim())}, not shorter than 'timeout' (${timeoutText}); leave it empty for a quarter of the timeout (at most 15s)`,
      example
    )
  return graceMs
}

/**
 * `soak`: empty or `0s` (action.yml's default) is no soak; else it must be shorter than `timeout`, which covers the
 * rollout and the soak (a soak as long as the deadline could never finish).
 */
function parseSoak(raw: string, timeoutMs: number, timeoutText: string): number {
  const v = raw.trim()
  if (v === '' || /^0+(\.0+)?(ms|s|m|h)?$/.test(v)) return 0
  let soakMs: number
  try {
    soakMs = parseDuration(v)
  } catch (e) {
    if (e instanceof DurationError) throw new InputError('soak', `${show(v)} ${e.message}`, '60s')
    throw e
  }
  if (soakMs >= timeoutMs)
    throw new InputError(
      'soak',
      `is ${show(v)}, not shorter than 'timeout' (${timeoutText}); it covers the rollout and the soak, so raise 'timeout' (to ${formatDuration(timeoutMs + soakMs)} or more) or shorten the soak`,
      formatDuration(Math.min(60_000, Math.floor(timeoutMs / 2)))
    )
  return soakMs
}

function validSelector(s: string): boolean {
  return s
    .split(',')
    .every(t => /^\s*!?[\w./-]+\s*((==|=|!=)\s*[\w./-]*|\s+(in|notin)\s+\([\w./,\s-]*\))?\s*$/.test(t))
}

/** `web=sha256:…,worker=registry/worker@sha256:…` (commas or new lines between pairs). */
function digestPairs(text: string): DigestSource {
  const containers: Record<string, DigestRef> = {}
  for (const pair of text
    .split(/[,\n]/)
    .map(p => p.trim())
    .filter(p => p !== '')) {
    const at = pair.indexOf('=')
    const name = pair.slice(0, at).trim()
    if (at < 1 || !DNS1123_LABEL.test(name)) {
      throw new InputError(
        'expected-digest',
        `has ${show(pair)}, which is not a container=digest pair`,
        'web=sha256:<64 hex>,worker=sha256:<64 hex>'
      )
    }
    if (containers[name])
      throw new InputError(
        'expected-digest',
        `names container "${name}" twice`,
        'web=sha256:<64 hex>,worker=sha256:<64 hex>'
      )
    containers[name] = parseDigestRef(pair.slice(at + 1))
  }
  return { kind: 'input', refs: Object.values(containers), containers }
}

function parseDigestSource(
  get: (name: string) => string,
  namespace: string | undefined
): DigestSource | undefined {
  const digestText = get('expected-digest').trim()
  const file = get('digest-file').trim()
  const buildPod = get('build-pod').trim()
  const given = [digestText && 'expected-digest', file && 'digest-file', buildPod && 'build-pod'].filter(
    Boolean
  )
  if (given.length > 1) {
    throw new InputError(
      given[1] as string,
      `conflicts with '${given[0]}'; give one source of the built digest`,
      given[1] === 'build-pod' ? 'job-name=build-42' : 'sha256:<64 hex>'
    )
  }
  if (digestText) {
    try {
      if (/^[a-z0-9-]+=/.test(digestText)) return digestPairs(digestText)
      return { kind: 'input', refs: [parseDigestRef(digestText)] }
    } catch (e) {
      if (e instanceof DigestSyntaxError)
        throw new InputError(
          'expected-digest',
          `is ${show(digestText)}: ${e.message}`,
          'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
        )
      throw e
    }
  }
  if (file) {
    let content: Buffer
    try {
      if (statSync(file).isDirectory())
        throw new InputError('digest-file', `${show(file)} is a directory`, '/workspace/digest')
      content = readFileSync(file)
    } catch (e) {
      if (e instanceof InputError) throw e
      throw new InputError(
        'digest-file',
        `${show(file)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        '/workspace/digest'
      )
    }
    try {
      return { kind: 'file', path: file, refs: parseDigestFile(content) }
    } catch (e) {
      if (e instanceof DigestFileError)
        throw new InputError('digest-file', `${show(file)} ${e.message}`, '/workspace/digest')
      throw e
    }
  }
  if (buildPod) {
    const buildNs = parseNamespace('build-namespace', get('build-namespace')) ?? namespace
    if (buildPod.includes('=') || buildPod.includes(' in ') || buildPod.startsWith('!')) {
      if (!validSelector(buildPod))
        throw new InputError('build-pod', `${show(buildPod)} is not a label selector`, 'job-name=build-42')
      return { kind: 'build-pod', namespace: buildNs, selector: buildPod }
    }
    if (buildPod.length > 253 || !DNS1123_SUBDOMAIN.test(buildPod)) {
      throw new InputError(
        'build-pod',
        `${show(buildPod)} is neither a pod name nor a label selector`,
        'job-name=build-42'
      )
    }
    return { kind: 'build-pod', namespace: buildNs, name: buildPod }
  }
  if (get('build-namespace').trim() !== '')
    throw new InputError('build-namespace', "is set but 'build-pod' is not", 'ci')
  return undefined
}

export const GITOPS_INPUTS = [
  'helm-release',
  'argocd-application',
  'flux-kustomization',
  'flux-helmrelease'
] as const

/** `[NAMESPACE/]NAME` of an Argo CD Application or a Flux Kustomization. */
function namespacedName(
  input: string,
  raw: string,
  dflt: string,
  example: string
): { namespace: string; name: string } {
  const parts = raw.trim().split('/')
  const [ns, name] = parts.length === 2 ? parts : [dflt, parts[0]]
  if (parts.length > 2 || !name || !ns)
    throw new InputError(input, `is ${show(raw.trim())}; write [NAMESPACE/]NAME`, example)
  parseNamespace(input, ns)
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    throw new InputError(input, `has name ${show(name)}, which is not a Kubernetes name`, example)
  return { namespace: ns, name }
}

/** helm-release, argocd-application or flux-kustomization, with revision (and helm-driver); undefined if none. */
function parseGitops(get: (name: string) => string): GitopsSource | undefined {
  const given = GITOPS_INPUTS.filter(i => get(i).trim() !== '')
  const revisionText = get('revision').trim()
  const driverText = get('helm-driver').trim().toLowerCase()
  if (given.length === 0) {
    if (revisionText)
      throw new InputError(
        'revision',
        "is set but none of 'helm-release', 'argocd-application', 'flux-kustomization', 'flux-helmrelease' is",
        '${{ github.sha }}'
      )
    if (driverText) throw new InputError('helm-driver', "is set but 'helm-release' is not", 'secret')
    return undefined
  }
  if (given.length > 1)
    throw new InputError(given[1]!, `conflicts with '${given[0]}'; give one deploy tool per step`, 'shop/web')
  for (const w of ['workload', 'selector'])
    if (get(w).trim())
      throw new InputError(
        w,
        `conflicts with '${given[0]}': the workloads it applied are the ones verified; give one of them`,
        w === 'selector' ? 'app=web' : 'deployment/web'
      )
  const tool = given[0]!
  if (tool === 'helm-release') {
    const release = get('helm-release').trim()
    if (release.length > 53 || !DNS1123_SUBDOMAIN.test(release))
      throw new InputError('helm-release', `is ${show(release)}, which is not a Helm release name`, 'web')
    if (driverText && !['secret', 'secrets', 'configmap', 'configmaps'].includes(driverText))
      throw new InputError(
        'helm-driver',
        `is ${show(driverText)}; use secret or configmap (as HELM_DRIVER)`,
        'secret'
      )
    if (revisionText && !/^[1-9]\d{0,8}$/.test(revisionText))
      throw new InputError(
        'revision',
        `is ${show(revisionText)}; with 'helm-release' it is the release revision (helm upgrade prints REVISION: 4)`,
        '4'
      )
    return {
      tool: 'helm',
      release,
      driver: driverText.startsWith('configmap') ? 'configmap' : 'secret',
      ...(revisionText ? { revision: Number(revisionText) } : {})
    }
  }
  if (driverText) throw new InputError('helm-driver', "is set but 'helm-release' is not", 'secret')
  if (tool === 'flux-helmrelease') return helmReleaseSource(get(tool), revisionText)
  const argo = tool === 'argocd-application'
  const where = namespacedName(
    tool,
    get(tool),
    argo ? 'argocd' : 'flux-system',
    argo ? 'argocd/shop' : 'flux-system/apps'
  )
  let revision
  try {
    revision = revisionText ? parseRevision(revisionText) : undefined
  } catch (e) {
    if (e instanceof RevisionSyntaxError)
      throw new InputError('revision', `is ${show(revisionText)}, which ${e.message}`, '${{ github.sha }}')
    throw e
  }
  return { tool: argo ? 'argocd' : 'flux-kustomization', ...where, ...(revision ? { revision } : {}) }
}

/** A chart version (`1.4.2`, `1.4.2+9a8b7c6d5e4f`) or a config digest (`sha256:…`). */
const CHART_REVISION = /^(sha256:[0-9a-f]{64}|v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$/

function helmReleaseSource(raw: string, revisionText: string): GitopsSource {
  const where = namespacedName('flux-helmrelease', raw, 'flux-system', 'flux-system/web')
  if (revisionText && !CHART_REVISION.test(revisionText))
    throw new InputError(
      'revision',
      `is ${show(revisionText)}; with 'flux-helmrelease' it is the chart version or the values' config digest (sha256:…) Flux records in status.history`,
      '1.4.2'
    )
  return { tool: 'flux-helmrelease', ...where, ...(revisionText ? { revision: revisionText } : {}) }
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

const KUBECONFIG_EXAMPLE = '${{ secrets.KUBECONFIG }}'

/**
 * `kubeconfig`: the content (plain YAML or base64), or the path of a file that exists (a step before may have
 * written one, e.g. `aws eks update-kubeconfig`). One line that names no file but looks like a path, or a shell
 * variable the runner never expands, is an error that says how to pass a file.
 */
function kubeconfigSource(raw: string): KubeconfigSource {
  const v = raw.trim()
  if (v === '') return { kind: 'default' }
  const oneLine = !/[\r\n]/.test(v)
  if (oneLine && /^\$\{?[A-Za-z_]\w*\}?$/.test(v))
    throw new InputError(
      'kubeconfig',
      `is the text ${show(v)}: the runner does not expand shell variables in 'with:'; for a file a step wrote, write \${{ env.${v.replace(/[${}]/g, '')} }}`,
      KUBECONFIG_EXAMPLE
    )
  // YAML, even on one line (`{apiVersion: v1, …}`), is content; so is base64 unless a file has that name.
  if (!oneLine || /^\{|^[\w-]+\s*:(\s|$)/.test(v)) return { kind: 'inline', content: raw }
  const path = v.startsWith('~/') ? join(homedir(), v.slice(2)) : v
  if (v.length <= 4096 && existsSync(path)) {
    if (statSync(path).isDirectory())
      throw new InputError(
        'kubeconfig',
        `names ${show(v)}, which is a directory, not a kubeconfig file`,
        KUBECONFIG_EXAMPLE
      )
    return { kind: 'file', path }
  }
  const base64 = /^[A-Za-z0-9+/]{24,}={0,2}$/.test(v) && !v.startsWith('/')
  if (/^(~|\.{1,2})?\//.test(v) || (!base64 && /^[^\s]*(\/|\.(ya?ml|conf|config|kubeconfig)$)/i.test(v)))
    throw new InputError(
      'kubeconfig',
      `looks like a file path (${show(v)}), but no such file exists here; give the kubeconfig's content (plain or base64), or the path of a file an earlier step of this job wrote`,
      KUBECONFIG_EXAMPLE
    )
  return { kind: 'inline', content: raw }
}

function deploymentStatusOf(get: (name: string) => string): Pick<Settings, 'deploymentStatus'> {
  const token = get('github-token').trim()
  const idText = get('deployment-id').trim()
  const environment = get('environment').trim()
  if (!token && !idText && !environment) return {}
  if (!token)
    throw new InputError(
      'github-token',
      `is needed to post a deployment status ('${idText ? 'deployment-id' : 'environment'}' is set)`,
      '${{ github.token }}'
    )
  if (!idText && !environment)
    throw new InputError(
      'deployment-id',
      "or 'environment' is needed with 'github-token' to know which deployment to update",
      '${{ steps.deployment.outputs.deployment_id }}'
    )
  if (idText && !/^[1-9]\d{0,15}$/.test(idText))
    throw new InputError(
      'deployment-id',
      `is ${show(idText)}, not a deployment id (a positive whole number)`,
      '1234567'
    )
  if (environment && (environment.length > 255 || /[\r\n]/.test(environment)))
    throw new InputError('environment', 'is not an environment name', 'production')
  return {
    deploymentStatus: {
      token,
      ...(idText ? { deploymentId: Number(idText) } : {}),
      ...(environment ? { environment } : {})
    }
  }
}
