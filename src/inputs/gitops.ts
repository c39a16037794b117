// `helm-release`, `argocd-application`, `flux-kustomization`, `flux-helmrelease`, with `revision` and
// `helm-driver`: the deploy tool whose change the step verifies.
import { InputError } from '../errors.js'
import { parseRevision, RevisionSyntaxError } from '../gitops/revision.js'
import type { GitopsSource } from '../gitops/stage.js'
import { DNS1123_SUBDOMAIN, parseNamespace, show } from './words.js'

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
export function parseGitops(get: (name: string) => string): GitopsSource | undefined {
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
  if (tool === 'helm-release') return helmSource(get('helm-release'), driverText, revisionText)
  if (driverText) throw new InputError('helm-driver', "is set but 'helm-release' is not", 'secret')
  if (tool === 'flux-helmrelease') return helmReleaseSource(get(tool), revisionText)
  return applicationSource(tool, get(tool), revisionText)
}

/** `helm-release`, with the release revision and Helm's storage driver. */
function helmSource(raw: string, driverText: string, revisionText: string): GitopsSource {
  const release = raw.trim()
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

/** `argocd-application` or `flux-kustomization`: `[NAMESPACE/]NAME` with a Git revision. */
function applicationSource(
  tool: 'argocd-application' | 'flux-kustomization',
  raw: string,
  revisionText: string
): GitopsSource {
  const argo = tool === 'argocd-application'
  const where = namespacedName(
    tool,
    raw,
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
