// The cluster the documented workflows deploy to: the real control plane and the story world, with the namespaces
// the README's examples name (shop, ci for builds, argocd, flux-system), deploy/rbac.yaml applied as it is
// written, and one kubeconfig for the ServiceAccount ci/deployer: the repository's KUBECONFIG secret.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { installCrd } from '../real/crds.js'
import type { Obj } from '../real/client.js'
import { kubeconfigFor } from '../real/controlplane.js'
import { STORY_WORLD, realCluster, type RealCluster } from '../real/harness.js'

export const NAMESPACES = ['shop', 'ci', 'argocd', 'flux-system'] as const

/**
 * What the deploy steps themselves do (`kubectl set image`, `kubectl create job`, `helm upgrade --install`) is
 * beyond deploy/rbac.yaml, which only reads: the README asks for an identity "allowed to set image". This is that
 * grant, for the test's one identity.
 */
const DEPLOY_STEP_RULES = [
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['*'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['*'] },
  { apiGroups: [''], resources: ['services', 'secrets', 'configmaps', 'pods'], verbs: ['*'] }
]

export interface WorkflowCluster extends RealCluster {
  /** The KUBECONFIG secret: the deployer's token, bound by deploy/rbac.yaml and the deploy-step Role. */
  kubeconfig: string
  /** Deletes what the last story left (namespaces and all, the registry's images) and lays them out again. */
  reset: () => Promise<void>
}

export async function workflowCluster(): Promise<WorkflowCluster> {
  const c = await realCluster(STORY_WORLD)
  const { cp } = c
  await installCrd(cp, {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Application',
    plural: 'applications'
  })
  await installCrd(cp, {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'Kustomization',
    plural: 'kustomizations'
  })
  const layOut = async (): Promise<string> => {
    for (const ns of NAMESPACES) await cp.namespace(ns)
    await cp.admin
      .create('/api/v1/namespaces/ci/serviceaccounts', { metadata: { name: 'deployer' } })
      .catch(e => ((e as { code?: number }).code === 409 ? undefined : Promise.reject(e)))
    const rbac = parseAllDocuments(readFileSync(resolve('deploy/rbac.yaml'), 'utf8')).map(
      d => d.toJS() as Obj
    )
    // As written; Flux's Kustomization lives in flux-system, where the file's comment says to put the gitops Role.
    const fluxCopies = rbac
      .filter(o => o.metadata.name === 'kube-verdict-gitops')
      .map(o => ({ ...structuredClone(o), metadata: { ...o.metadata, namespace: 'flux-system' } }))
    const deployStep = ['shop', 'ci'].flatMap(ns => [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'deploy-step', namespace: ns },
        rules: DEPLOY_STEP_RULES
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'deploy-step', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deploy-step' },
        subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]
      }
    ])
    for (const o of [...rbac, ...fluxCopies, ...deployStep]) {
      const plural = o.kind === 'Role' ? 'roles' : 'rolebindings'
      await cp.admin.apply(
        `/apis/rbac.authorization.k8s.io/v1/namespaces/${o.metadata.namespace}/${plural}/${o.metadata.name}`,
        o
      )
    }
    // The grants in force before the token goes to the workflow (the apiserver's RBAC view lags its writes).
    const deployer = 'system:serviceaccount:ci:deployer'
    await cp.untilAllowed(deployer, 'shop', 'apps', 'deployments')
    await cp.untilAllowed(deployer, 'ci', '', 'pods')
    await cp.untilAllowed(deployer, 'argocd', 'argoproj.io', 'applications', 'get')
    await cp.untilAllowed(deployer, 'flux-system', 'kustomize.toolkit.fluxcd.io', 'kustomizations', 'get')
    const tr = await cp.admin.create('/api/v1/namespaces/ci/serviceaccounts/deployer/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 }
    })
    return kubeconfigFor(cp.url, cp.caPem, tr.status.token as string, 'deployer')
  }
  const wc: WorkflowCluster = {
    ...c,
    kubeconfig: await layOut(),
    reset: async () => {
      for (const ns of NAMESPACES) await cp.admin.delete(`/api/v1/namespaces/${ns}`)
      for (const ns of NAMESPACES)
        await c.world.until(
          `namespace ${ns} to be gone`,
          async () => (await cp.admin.getOrUndefined(`/api/v1/namespaces/${ns}`)) === undefined,
          120_000
        )
      // The namespaces' names come back, so what the last story told the registry (a crashing image) must not.
      c.world.registry.clear()
      wc.kubeconfig = await layOut()
    }
  }
  return wc
}
