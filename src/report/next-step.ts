// Who acts next, and the command where one fits.
import type { Report } from './report.js'

export function nextStep(r: Report): string {
  const where = `-n ${r.namespace}`
  switch (r.verdict) {
    case 'success':
      return (
        'Nothing to do: the new pods are Ready' +
        (r.built ? ' and run the built image.' : '.') +
        ' If the platform reported a failure, it was a false alarm.'
      )
    case 'build-failed':
      return 'App team: the build failed. Read the build log lines below: code, dependencies or Dockerfile.'
    case 'scheduling':
      return 'Capacity or configuration: the pods fit on no node. If the autoscaler is adding a node, wait longer; otherwise lower the requests, or fix the node selector, affinity or tolerations.'
    case 'stale':
      return `Redeploy so the pods pick up the built image: \`kubectl rollout restart ${r.workload} ${where}\` (better: deploy by digest).`
    case 'network':
      return 'Escalate to the platform team: pod sandboxes cannot be created (CNI / IP addresses). The sandbox message is below.'
    case 'image-pull':
      return `Check the image name and tag, and the registry credentials (imagePullSecrets): \`kubectl describe pod ${where} -l <selector>\`.`
    case 'config-error':
      return 'Deploy configuration: create the missing Secret or ConfigMap (or key) the pod refers to, or fix the reference.'
    case 'crash-loop':
      return `App team: the container exits. See its last log lines below, or \`kubectl logs --previous ${where} <pod>\`.`
    case 'unhealthy':
      return 'App team: the containers run but readiness never passes. The probe messages are below.'
    case 'not-found':
      return `Pipeline: ${r.workload} is not in namespace ${r.namespace}. Check the workload and namespace inputs, and that the deploy step applied it.`
    case 'unreachable':
      return 'Pipeline/platform: check the kubeconfig, the credentials and that the runner can reach the API server.'
    case 'timeout':
      return 'The rollout was still converging at the deadline. Raise `timeout` if it is slow by nature; see what it was waiting for above.'
    case 'invalid-input':
      return 'Fix the input named above.'
  }
}
