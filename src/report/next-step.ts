// Who acts next, and the exact command or object where one fits, from the finding's cause and facts and the
// kind's commands. Plain text: callers escape it.
import { kindOf, nameOf } from '../kinds/registry.js'
import type { Finding } from '../verdict/types.js'
import { describeSchedulingFacts } from '../verdict/pods.js'
import type { Report } from './report.js'
import { TOOL_TITLE as TOOL } from '../gitops/stage.js'

type Of<C extends Finding['cause']> = Extract<Finding, { cause: C }>

function is<C extends Finding['cause']>(f: Finding | undefined, cause: C): f is Of<C> {
  return f?.cause === cause
}

/** The workload a verdict is about: the top finding's, else the one of the step's workloads that has it. */
function workloadOf(r: Report, top: Finding | undefined): string {
  if (top) return nameOf(top.workload)
  return r.workloads?.find(w => w.verdict === r.verdict)?.workload ?? r.workload
}

function stale(r: Report, top: Finding | undefined, ns: string): string {
  if (is(top, 'on-delete'))
    return `Delete the old pods so the controller recreates them from the new revision (updateStrategy OnDelete): \`kubectl delete pod ${top.facts.pods.join(' ')} ${ns}\`.`
  if (is(top, 'digest-mismatch') && top.facts.pinned) {
    const image = `${top.facts.pinned.replace(/@sha256:[0-9a-f]{64}$/, '').replace(/:[^/:]+$/, '')}@${top.facts.built}`
    const set = kindOf(top.workload).commands?.setImage?.(
      { name: top.workload.name, label: nameOf(top.workload), namespace: r.namespace },
      top.container ?? '',
      image
    )
    return `Change the image reference: the pod template pins \`${top.facts.pinned}\`${top.container ? ` (container ${top.container})` : ''}, so redeploying runs that digest again. Set it to the built digest in the manifest and apply it${set ? `, or \`${set}\`` : ''}.`
  }
  const restart = top ? kindOf(top.workload).commands?.restart : undefined
  const command =
    top && restart
      ? restart({ name: top.workload.name, label: nameOf(top.workload), namespace: r.namespace })
      : `kubectl rollout restart ${workloadOf(r, top)} ${ns}`
  return `Redeploy so the pods pull the built image: \`${command}\`, and deploy by digest (image@sha256:…) so this cannot recur.`
}

function configError(r: Report, top: Finding | undefined, ns: string): string {
  if (!is(top, 'missing-config')) return `Deploy configuration: ${top?.message ?? 'see the findings below'}.`
  const c = top.facts
  if (c.key) return `Deploy configuration: add key "${c.key}" to ${c.object} ${c.name}, or fix the reference.`
  return `Deploy configuration: create ${c.object} "${c.name}" in namespace ${r.namespace} (\`kubectl get ${c.object.toLowerCase()} ${c.name} ${ns}\`), or fix the reference.`
}

/** The new pods wait for the build's image: the build is late (or the kubelet's back-off outlasts the push). */
function awaitingBuild(top: Of<'awaiting-build'>, pod: string, ns: string): string {
  const { build: b, image, state } = top.facts
  const where = `-n ${b.namespace}`
  switch (state) {
    case 'absent': {
      const list = b.ref.includes('=')
        ? `kubectl get pods -l ${b.ref} ${where}`
        : `kubectl get pod ${b.ref} ${where}`
      return `Pipeline: no build pod matched ${b.ref} in namespace ${b.namespace} before the deadline, and the new pods wait for ${image}, which it would push. Check that the build started (\`${list}\`) and that \`build-pod\` names it; raise \`timeout\` if builds start late.`
    }
    case 'running':
      return `The build was still running at the deadline: it had not pushed ${image}, which the new pods wait for (the image reference is right). Read its log (\`kubectl logs ${b.pod} ${where}\`); if builds take this long, raise \`timeout\`.`
    case 'pushed':
      return `Nothing is wrong with the image: the build pushed ${image} after the kubelet's last pull, and the kubelet pulls again only after its back-off (up to 5 minutes). Delete the pod to pull now (\`kubectl delete pod ${pod} ${ns}\`), or raise \`timeout\`.`
  }
}

function controllerFailed(top: Of<'controller'>): string {
  return `Read why ${nameOf(top.workload)} failed${top.facts.inspect ? ` (\`${top.facts.inspect}\`)` : ''}, fix, and deploy again.`
}

/** Where to read the deploy tool's own account. */
function toolCommand(r: Report): string {
  const g = r.gitops
  if (!g) return ''
  const [ns, name] = g.object.split(' ').pop()!.split('/')
  if (g.tool === 'helm') return `\`helm history ${name} -n ${ns}\``
  if (g.tool === 'argocd') return `\`argocd app get ${ns}/${name}\``
  if (g.tool === 'flux-helmrelease') return `\`flux get helmreleases ${name} -n ${ns}\``
  return `\`flux get kustomizations ${name} -n ${ns}\``
}

/** Success: what ran, and what did not run at all (scaled to zero), so that no image is called verified unseen. */
function succeeded(r: Report): string {
  const idle = r.workloads
    ? r.workloads.filter(w => w.nothingRan).map(w => w.workload)
    : r.nothingRan
      ? [r.workload]
      : []
  const ran = r.workloads ? r.workloads.length > idle.length : idle.length === 0
  const helm = r.gitops?.falseAlarm
    ? r.gitops.tool === 'helm'
      ? "Helm's failure was its own wait giving up too early (raise helm's --timeout, or drop --wait and let kube-verdict wait)."
      : `${TOOL[r.gitops.tool]}'s failure was its ${r.gitops.tool === 'flux-helmrelease' ? "Helm wait giving up on its own clock (raise the HelmRelease's spec.timeout)" : "health check giving up on its own clock (raise the Kustomization's spec.timeout)"}.`
    : undefined
  const has = `${idle.join(', ')} ${idle.length === 1 ? 'has' : 'have'} 0 desired pods`
  if (!ran)
    return `Nothing ran: ${has} (scaled to zero), so no pod runs the image and it was not verified. If it should run, scale it up and verify again.${helm ? ` ${helm}` : ''}`
  const pods = `the new pods are Ready${r.built ? ' and run the built image' : ''}`
  const none =
    idle.length > 0 ? `; ${has}, so nothing of ${idle.length === 1 ? 'it' : 'them'} ran or was verified` : ''
  return helm
    ? `Nothing to do: ${pods}${none}; ${helm}`
    : `Nothing to do: ${pods}${none}. If the platform reported a failure, it was a false alarm.`
}

export function nextStep(r: Report): string {
  const ns = `-n ${r.namespace}`
  const top = r.findings.find(f => f.verdict === r.verdict)
  const pod = top?.subject.startsWith('pod/') ? top.subject.slice(4) : '<pod>'
  switch (r.verdict) {
    case 'success':
      return succeeded(r)
    case 'build-failed':
      return 'App team: the build failed in code, dependencies or the Dockerfile; its last log lines are below.'
    case 'scheduling':
      if (!is(top, 'unschedulable'))
        return `Capacity or configuration: no node fits the pod (see below); \`kubectl describe pod ${pod} ${ns}\`.`
      return top.facts.autoscaler?.adding
        ? 'Capacity is on its way (the cluster-autoscaler is adding a node): raise `timeout` if scale-ups take longer than this.'
        : `Capacity or configuration: no node fits the pod (${describeSchedulingFacts(top.facts)}). Lower the requests, or fix the nodeSelector, affinity or tolerations; \`kubectl describe pod ${pod} ${ns}\`.`
    case 'stale':
      return stale(r, top, ns)
    case 'network':
      return `Escalate to the platform team: pod sandboxes cannot be created. Sandbox message: ${is(top, 'sandbox') ? top.facts.event : (top?.message ?? 'see below')}`
    case 'image-pull':
      if (is(top, 'controller'))
        return `Fix the image reference or the registry credentials (imagePullSecrets): ${top.message}`
      return `Fix the image reference or the registry credentials (imagePullSecrets): ${top?.message ?? ''} \`kubectl describe pod ${pod} ${ns}\`.`.trim()
    case 'config-error':
      return configError(r, top, ns)
    case 'crash-loop': {
      if (is(top, 'controller')) return controllerFailed(top)
      const previous = is(top, 'crash') && top.facts.previousLog ? ' --previous' : ''
      const kill = is(top, 'crash') ? top.facts.killedBy : undefined
      if (kill)
        return `App team: the kubelet kills the container because its ${kill.probe.toLowerCase()} probe fails${kill.failure ? ` (${kill.failure})` : ''}. Make the endpoint answer, or fix the probe (path, port, initialDelaySeconds, timeoutSeconds, failureThreshold${kill.probe === 'Liveness' ? '; a slow start wants a startupProbe' : ''}); \`kubectl describe pod ${pod} ${ns}\` shows the probe and its events, \`kubectl logs${previous} ${pod} ${ns}\` the killed run's last lines.`
      return `App team: the container exits; its last log lines are below (\`kubectl logs${previous} ${pod} ${ns}\`).`
    }
    case 'unhealthy':
      if (is(top, 'controller')) return controllerFailed(top)
      return `App team: the containers run but readiness never passes; the probe messages are below (\`kubectl describe pod ${pod} ${ns}\`).`
    case 'not-found':
      return `Pipeline: ${workloadOf(r, top)} is not in namespace ${r.namespace}. Check the workload and namespace inputs, and that the deploy step applied it.`
    case 'unreachable':
      return 'Pipeline/platform: check the kubeconfig, the credentials and their RBAC, and that the runner can reach the API server.'
    case 'apply-failed':
      return `Author of the change: ${r.gitops ? TOOL[r.gitops.tool] : 'the deploy tool'} could not apply it (its message is above). Fix the change and deploy again; ${toolCommand(r)} shows the tool's own account.`
    case 'superseded':
      return `Nothing to do for this change: ${r.gitops ? TOOL[r.gitops.tool] : 'the deploy tool'} applied ${r.gitops?.supersededBy ? `\`${r.gitops.supersededBy}\`` : 'another revision'} after it, and the run that deployed that one verifies it. If this revision must run, deploy it again; ${toolCommand(r)} shows the tool's order of revisions.`
    case 'timeout':
      if (is(top, 'awaiting-build')) return awaitingBuild(top, pod, ns)
      if (r.gitops && r.gitops.applied === undefined)
        return `${TOOL[r.gitops.tool]} had not applied ${r.gitops.wanted ? `revision ${r.gitops.wanted}` : 'the change'} at the deadline: check that the change was pushed and synced (${toolCommand(r)}), or raise \`timeout\`.`
      return 'The rollout was still converging at the deadline: see what it was waiting for. Raise `timeout` if it is slow by nature.'
    case 'invalid-input':
      return 'Fix the input named above.'
  }
}
