// RBAC for the test cluster from real manifests: the rules a subject gets from Roles through RoleBindings.
import { parseAllDocuments } from 'yaml'
import type { PolicyRule } from './server.js'

interface Doc {
  kind?: string
  metadata?: { name?: string; namespace?: string }
  rules?: { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[]
  roleRef?: { kind?: string; name?: string }
  subjects?: { kind?: string; name?: string; namespace?: string }[]
}

/** `user` as the API server names it: `system:serviceaccount:ci:deployer`. */
export function rulesFor(yamlText: string, user: string): PolicyRule[] {
  const docs = parseAllDocuments(yamlText)
    .map(d => d.toJS() as Doc)
    .filter(Boolean)
  const matches = (s: NonNullable<Doc['subjects']>[number]): boolean =>
    s.kind === 'ServiceAccount' ? user === `system:serviceaccount:${s.namespace}:${s.name}` : s.name === user
  const rules: PolicyRule[] = []
  for (const b of docs.filter(d => d.kind === 'RoleBinding' && d.subjects?.some(matches))) {
    const role = docs.find(
      d =>
        d.kind === 'Role' &&
        d.metadata?.name === b.roleRef?.name &&
        d.metadata?.namespace === b.metadata?.namespace
    )
    for (const r of role?.rules ?? [])
      rules.push({
        apiGroups: r.apiGroups ?? [],
        resources: r.resources ?? [],
        verbs: r.verbs ?? [],
        namespaces: [b.metadata!.namespace!]
      })
  }
  return rules
}
