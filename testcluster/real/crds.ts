// CustomResourceDefinitions for the kinds whose controllers the test world plays (Knative, Argo Rollouts,
// KServe, Argo CD, Flux, a team's own CRD): minimal schemas that keep unknown fields, with the status
// subresource, so the real apiserver stores and serves them as it would the real CRDs.
import type { ControlPlane } from './controlplane.js'
import { registerKind } from './world.js'

export interface CrdSpec {
  group: string
  version: string
  kind: string
  plural: string
  shortNames?: string[]
  namespaced?: boolean
}

export async function installCrd(cp: ControlPlane, c: CrdSpec): Promise<void> {
  const name = `${c.plural}.${c.group}`
  const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }
  await cp.admin.apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: c.group,
      names: {
        kind: c.kind,
        plural: c.plural,
        singular: c.kind.toLowerCase(),
        listKind: `${c.kind}List`,
        ...(c.shortNames ? { shortNames: c.shortNames } : {})
      },
      scope: c.namespaced === false ? 'Cluster' : 'Namespaced',
      versions: [{ name: c.version, served: true, storage: true, schema, subresources: { status: {} } }]
    }
  })
  // Served once the apiserver says Established.
  const until = Date.now() + 30_000
  for (;;) {
    const crd = await cp.admin.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)
    const est = ((crd.status?.conditions ?? []) as { type: string; status: string }[]).some(
      x => x.type === 'Established' && x.status === 'True'
    )
    if (est) break
    if (Date.now() > until) throw new Error(`CRD ${name} was not Established within 30 s`)
    await new Promise(r => setTimeout(r, 100))
  }
  registerKind(`${c.group}/${c.version}`, c.kind, c.plural, c.namespaced !== false)
}
