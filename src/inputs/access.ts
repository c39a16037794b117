// `kubeconfig`, `context` and the GitHub token: which clusters to read, as whom, and where to post a status.
import { existsSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '../errors.js'
import type { KubeconfigSource } from '../kube/config.js'
import { show } from './words.js'

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

const KUBECONFIG_EXAMPLE = '${{ secrets.KUBECONFIG }}'

/**
 * `kubeconfig`: the content (plain YAML or base64), or the path of a file that exists (a step before may have
 * written one, e.g. `aws eks update-kubeconfig`). One line that names no file but looks like a path, or a shell
 * variable the runner never expands, is an error that says how to pass a file.
 */
export function kubeconfigSource(raw: string): KubeconfigSource {
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

/** Where to post a GitHub Deployment status, and with which token. */
export interface DeploymentStatusSettings {
  token: string
  deploymentId?: number
  environment?: string
}

export function deploymentStatusOf(get: (name: string) => string): {
  deploymentStatus?: DeploymentStatusSettings
} {
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
