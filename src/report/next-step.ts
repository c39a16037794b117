// Who acts next, and the exact command or object where one fits. Plain text: callers escape it.
import type { Report } from './report.js'

export function nextStep(r: Report): string {
  const ns = `-n ${r.namespace}`
  const top = r.findings.find(f => f.verdict === r.verdict)
  const pod = top?.subject.startsWith('pod/') ? top.subject.slice(4) : '<pod>'
  switch (r.verdict) {
    case 'success':
      return `Nothing to do: the new pods are Ready${r.built ? ' and run the built image' : ''}. If the platform reported a failure, it was a false alarm.`
    case 'build-failed':
      return 'App team: the build failed in code, dependencies or the Dockerfile; its last log lines are below.'
    case 'scheduling':
      return /adding capacity/.test(top?.message ?? '')
        ? 'Capacity is on its way (the cluster-autoscaler is adding a node): raise `timeout` if scale-ups take longer than this.'
        : `Capacity or configuration: no node fits the pod (${top?.message.replace(/^pod cannot be scheduled: /, '') ?? 'see below'}). Lower the requests, or fix the nodeSelector, affinity or tolerations; \`kubectl describe pod ${pod} ${ns}\`.`
    case 'stale':
      if (/OnDelete/.test(r.reason)) {
        const pods = /\(([^)]*)\); delete them/.exec(r.reason)?.[1]?.split(', ').join(' ') ?? '<pods>'
        return `Delete the old pods so the controller recreates them from the new revision (updateStrategy OnDelete): \`kubectl delete pod ${pods} ${ns}\`.`
      }
      return `Redeploy so the pods pull the built image: \`kubectl rollout restart ${r.workload} ${ns}\`, and deploy by digest (image@sha256:…) so this cannot recur.`
    case 'network':
      return `Escalate to the platform team: pod sandboxes cannot be created. Sandbox message: ${top?.detail?.[0] ?? top?.message ?? 'see below'}`
    case 'image-pull':
      return `Fix the image reference or the registry credentials (imagePullSecrets): ${top?.message ?? ''} \`kubectl describe pod ${pod} ${ns}\`.`.trim()
    case 'config-error': {
      const missing =
        /(Secret|ConfigMap) "([^"]+)" does not exist|key "([^"]+)" is missing from (Secret|ConfigMap) (\S+)/.exec(
          top?.message ?? ''
        )
      if (missing?.[1])
        return `Deploy configuration: create ${missing[1]} "${missing[2]}" in namespace ${r.namespace} (\`kubectl get ${missing[1].toLowerCase()} ${missing[2]} ${ns}\`), or fix the reference.`
      if (missing?.[3])
        return `Deploy configuration: add key "${missing[3]}" to ${missing[4]} ${missing[5]}, or fix the reference.`
      return `Deploy configuration: ${top?.message ?? 'see the findings below'}.`
    }
    case 'crash-loop': {
      const previous = /restart/.test(top?.message ?? '') ? ' --previous' : ''
      return `App team: the container exits; its last log lines are below (\`kubectl logs${previous} ${pod} ${ns}\`).`
    }
    case 'unhealthy':
      if (/ is Degraded: /.test(r.reason)) {
        return `The rollout was aborted: read its analysis and events (\`kubectl argo rollouts get rollout ${r.workload.replace(/^rollout\//, '')} ${ns}\`), fix, and deploy again.`
      }
      return `App team: the containers run but readiness never passes; the probe messages are below (\`kubectl describe pod ${pod} ${ns}\`).`
    case 'not-found':
      return `Pipeline: ${r.workload} is not in namespace ${r.namespace}. Check the workload and namespace inputs, and that the deploy step applied it.`
    case 'unreachable':
      return 'Pipeline/platform: check the kubeconfig, the credentials and their RBAC, and that the runner can reach the API server.'
    case 'timeout':
      return 'The rollout was still converging at the deadline: see what it was waiting for. Raise `timeout` if it is slow by nature.'
    case 'invalid-input':
      return 'Fix the input named above.'
  }
}
