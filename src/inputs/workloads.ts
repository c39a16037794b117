// `workload`: one KIND/NAME or a list, each kind from the registry.
import { InputError } from '../errors.js'
import { kindByAlias, nameOf, supportedKinds } from '../kinds/registry.js'
import type { WorkloadRef } from '../refs.js'
import { DNS1123_SUBDOMAIN, show } from './words.js'

const LATER_KINDS = ['service', 'svc']

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
