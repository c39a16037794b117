// The next step of each verdict as data: words, who acts, and code (a command, an input's name, an image) that
// each renderer sets in its own way. The table (`VERDICT[v].next`) names which of these speaks for a verdict.
import { describeSchedulingFacts } from './scheduling-words.js'
import type { SoakReport } from './soak.js'
import type { Finding } from './types.js'

/** Who acts: the verdict's `actor`, said where it stands (capitalised when it opens the step). */
export const WHO = { who: true } as const

export interface Code {
  code: string
  /** What the code is: a command to run, an input's name (`timeout`), an image reference. */
  is: 'command' | 'input' | 'image' | 'revision'
}

export type StepPart = string | Code | typeof WHO

/** The facts a next step is made of, taken from the report's structured fields (never from its prose). */
export interface StepContext {
  namespace: string
  /** The first finding of the verdict, the one that speaks for it. */
  top?: Finding
  /** The pod the top finding is about, else `<pod>`. */
  pod: string
  /** The workload the verdict is about (`deployment/web`). */
  workload: string
  /** The kind's command that restarts the top finding's workload, when the kind has one. */
  restart?: string
  /** The kind's command that sets a container's image of the top finding's workload, when it has one. */
  setImage?: (container: string, image: string) => string | undefined
  /** The deploy tool of the step: its name, where its own account is read, what it applied. */
  tool?: {
    title: string
    kind: 'helm' | 'argocd' | 'flux-kustomization' | 'flux-helmrelease'
    inspect: string
    applied: boolean
    wanted?: string
    /** The revision the tool applied after the one waited for (`superseded`). */
    supersededBy?: string
    falseAlarm: boolean
  }
  /** Workloads that want no pods (scaled to zero), so nothing of them ran. */
  idle: string[]
  /** Some workload ran pods. */
  ran: boolean
  /** The built digest is known. */
  built: boolean
  /** With `soak`: how long the new pods were watched after Ready, and what ended it. */
  soak?: SoakReport
}

export type NextStep = (c: StepContext) => StepPart[]

type Of<C extends Finding['cause']> = Extract<Finding, { cause: C }>

function is<C extends Finding['cause']>(f: Finding | undefined, cause: C): f is Of<C> {
  return f?.cause === cause
}

const command = (code: string): Code => ({ code, is: 'command' })
const input = (code: string): Code => ({ code, is: 'input' })
const ns = (c: StepContext): string => `-n ${c.namespace}`
const describePod = (c: StepContext): Code => command(`kubectl describe pod ${c.pod} ${ns(c)}`)

/** Success: what ran, and what did not run at all (scaled to zero), so that no image is called verified unseen. */
export const succeeded: NextStep = c => {
  const { idle } = c
  const helm = c.tool?.falseAlarm ? ownClock(c.tool) : undefined
  const has = `${idle.join(', ')} ${idle.length === 1 ? 'has' : 'have'} 0 desired pods`
  if (!c.ran)
    return [
      `Nothing ran: ${has} (scaled to zero), so no pod runs the image and it was not verified. If it should run, scale it up and verify again.${helm ? ` ${helm}` : ''}`
    ]
  const pods = `the new pods are Ready${c.built ? ' and run the built image' : ''}${c.soak ? `, and held for the ${c.soak.seconds}s soak` : ''}`
  const none =
    idle.length > 0 ? `; ${has}, so nothing of ${idle.length === 1 ? 'it' : 'them'} ran or was verified` : ''
  return [
    helm
      ? `Nothing to do: ${pods}${none}; ${helm}`
      : `Nothing to do: ${pods}${none}. If the platform reported a failure, it was a false alarm.`
  ]
}

/** What a soak's end asks for, where the verdict's usual words would not fit (undefined: they do). */
export function soakEnd(c: StepContext): StepPart[] | undefined {
  const s = c.soak
  if (!s) return undefined
  if (s.cutShort)
    return [
      'Raise ',
      input('timeout'),
      `: it covers the rollout and the ${s.seconds}s soak, and it ended the soak after ${s.heldSeconds}s (nothing had failed by then).`
    ]
  switch (s.failure?.event) {
    case 'readiness-lost':
      return [
        `App team: a pod that was Ready lost readiness ${s.failure.afterReadySeconds}s after Ready and did not get it back within its probe period; the probe messages are below (`,
        describePod(c),
        ').'
      ]
    case 'other-digest':
      return [
        'Deploy by digest (image@sha256:…): the image reference now resolves to another digest than was built, so every pod that joins (a scale-up, a replacement) runs that one. Set the built digest in the manifest and apply it.'
      ]
    case 'evicted':
      return [
        `Platform or app team: the node evicted a pod ${s.failure.afterReadySeconds}s after Ready (see below); check the pod's requests against what it uses, and the node's pressure (`,
        command('kubectl describe node'),
        ').'
      ]
    default:
      return undefined
  }
}

/** A deploy tool's own wait that gave up on its clock while the pods were fine, in words for its user. */
function ownClock(t: NonNullable<StepContext['tool']>): string {
  if (t.kind === 'helm')
    return "Helm's failure was its own wait giving up too early (raise helm's --timeout, or drop --wait and let kube-verdict wait)."
  return `${t.title}'s failure was its ${t.kind === 'flux-helmrelease' ? "Helm wait giving up on its own clock (raise the HelmRelease's spec.timeout)" : "health check giving up on its own clock (raise the Kustomization's spec.timeout)"}.`
}

/** Another revision was applied after the one waited for: the run that deployed it verifies it. */
export const superseded: NextStep = c => [
  `Nothing to do for this change: ${c.tool?.title ?? 'the deploy tool'} applied `,
  ...(c.tool?.supersededBy ? [{ code: c.tool.supersededBy, is: 'revision' as const }] : ['another revision']),
  ' after it, and the run that deployed that one verifies it. If this revision must run, deploy it again; ',
  ...(c.tool ? [command(c.tool.inspect)] : ["the deploy tool's history"]),
  " shows the tool's order of revisions."
]

export const scheduling: NextStep = c => {
  const top = c.top
  if (!is(top, 'unschedulable')) return [WHO, ': no node fits the pod (see below); ', describePod(c), '.']
  if (top.facts.autoscaler?.adding)
    return [
      'Capacity is on its way (the cluster-autoscaler is adding a node): raise ',
      input('timeout'),
      ' if scale-ups take longer than this.'
    ]
  return [
    WHO,
    `: no node fits the pod (${describeSchedulingFacts(top.facts)}). Lower the requests, or fix the nodeSelector, affinity or tolerations; `,
    describePod(c),
    '.'
  ]
}

export const stale: NextStep = c => {
  const top = c.top
  if (is(top, 'on-delete'))
    return [
      'Delete the old pods so the controller recreates them from the new revision (updateStrategy OnDelete): ',
      command(`kubectl delete pod ${top.facts.pods.join(' ')} ${ns(c)}`),
      '.'
    ]
  if (is(top, 'digest-mismatch') && top.facts.pinned) {
    const image = `${top.facts.pinned.replace(/@sha256:[0-9a-f]{64}$/, '').replace(/:[^/:]+$/, '')}@${top.facts.built}`
    const set = c.setImage?.(top.container ?? '', image)
    return [
      'Change the image reference: the pod template pins ',
      { code: top.facts.pinned, is: 'image' },
      `${top.container ? ` (container ${top.container})` : ''}, so redeploying runs that digest again. Set it to the built digest in the manifest and apply it`,
      ...(set ? [', or ', command(set)] : []),
      '.'
    ]
  }
  return [
    'Redeploy so the pods pull the built image: ',
    command(c.restart ?? `kubectl rollout restart ${c.workload} ${ns(c)}`),
    ', and deploy by digest (image@sha256:…) so this cannot recur.'
  ]
}

export const network: NextStep = c => [
  'Escalate to the ',
  WHO,
  `: pod sandboxes cannot be created. Sandbox message: ${is(c.top, 'sandbox') ? c.top.facts.event : (c.top?.message ?? 'see below')}`
]

export const imagePull: NextStep = c => {
  const fix = 'Fix the image reference or the registry credentials (imagePullSecrets): '
  const top = c.top
  if (is(top, 'controller')) return [`${fix}${top.message}`]
  // No pod to describe: the controller could not fetch the image before creating one (a Knative revision).
  if (is(top, 'image-pull') && top.pod === undefined && top.facts.image)
    return [
      `${fix}${top.subject} cannot fetch `,
      { code: top.facts.image, is: 'image' },
      `${top.container ? ` (container ${top.container})` : ''}: ${top.facts.why}.`
    ]
  return [`${fix}${top?.message ?? ''} `, describePod(c), '.']
}

export const configError: NextStep = c => {
  const top = c.top
  if (!is(top, 'missing-config')) return [WHO, `: ${top?.message ?? 'see the findings below'}.`]
  const f = top.facts
  if (f.key) return [WHO, `: add key "${f.key}" to ${f.object} ${f.name}, or fix the reference.`]
  return [
    WHO,
    `: create ${f.object} "${f.name}" in namespace ${c.namespace} (`,
    command(`kubectl get ${f.object.toLowerCase()} ${f.name} ${ns(c)}`),
    '), or fix the reference.'
  ]
}

/** The kind's controller reports the failure: read its account. */
function controllerFailed(c: StepContext, top: Of<'controller'>): StepPart[] {
  const inspect = top.facts.inspect
  return [
    `Read why ${c.workload} failed`,
    ...(inspect ? [' (', command(inspect), ')'] : []),
    ', fix, and deploy again.'
  ]
}

export const crashLoop: NextStep = c => {
  const top = c.top
  if (is(top, 'controller')) return controllerFailed(c, top)
  const previous = is(top, 'crash') && top.facts.previousLog ? ' --previous' : ''
  const logs = command(`kubectl logs${previous} ${c.pod} ${ns(c)}`)
  const kill = is(top, 'crash') ? top.facts.killedBy : undefined
  if (!kill) return [WHO, ': the container exits; its last log lines are below (', logs, ').']
  return [
    WHO,
    `: the kubelet kills the container because its ${kill.probe.toLowerCase()} probe fails${kill.failure ? ` (${kill.failure})` : ''}. Make the endpoint answer, or fix the probe (path, port, initialDelaySeconds, timeoutSeconds, failureThreshold${kill.probe === 'Liveness' ? '; a slow start wants a startupProbe' : ''}); `,
    describePod(c),
    ' shows the probe and its events, ',
    logs,
    " the killed run's last lines."
  ]
}

export const unhealthy: NextStep = c => {
  if (is(c.top, 'controller')) return controllerFailed(c, c.top)
  return [
    WHO,
    ': the containers run but readiness never passes; the probe messages are below (',
    describePod(c),
    ').'
  ]
}

export const applyFailed: NextStep = c => [
  WHO,
  `: ${c.tool ? c.tool.title : 'the deploy tool'} could not apply it (its message is above). Fix the change and deploy again; `,
  c.tool ? command(c.tool.inspect) : '',
  " shows the tool's own account."
]

/** The new pods wait for the build's image: the build is late (or the kubelet's back-off outlasts the push). */
function awaitingBuild(c: StepContext, top: Of<'awaiting-build'>): StepPart[] {
  const { build: b, image, state } = top.facts
  const where = `-n ${b.namespace}`
  const timeout = input('timeout')
  switch (state) {
    case 'absent': {
      const list = b.ref.includes('=')
        ? `kubectl get pods -l ${b.ref} ${where}`
        : `kubectl get pod ${b.ref} ${where}`
      return [
        `Pipeline: no build pod matched ${b.ref} in namespace ${b.namespace} before the deadline, and the new pods wait for ${image}, which it would push. Check that the build started (`,
        command(list),
        ') and that ',
        input('build-pod'),
        ' names it; raise ',
        timeout,
        ' if builds start late.'
      ]
    }
    case 'running':
      return [
        `The build was still running at the deadline: it had not pushed ${image}, which the new pods wait for (the image reference is right). Read its log (`,
        command(`kubectl logs ${b.pod} ${where}`),
        '); if builds take this long, raise ',
        timeout,
        '.'
      ]
    case 'pushed':
      return [
        `Nothing is wrong with the image: the build pushed ${image} after the kubelet's last pull, and the kubelet pulls again only after its back-off (up to 5 minutes). Delete the pod to pull now (`,
        command(`kubectl delete pod ${c.pod} ${ns(c)}`),
        '), or raise ',
        timeout,
        '.'
      ]
  }
}

export const timedOut: NextStep = c => {
  if (is(c.top, 'awaiting-build')) return awaitingBuild(c, c.top)
  const timeout = input('timeout')
  const t = c.tool
  if (t && !t.applied)
    return [
      `${t.title} had not applied ${t.wanted ? `revision ${t.wanted}` : 'the change'} at the deadline: check that the change was pushed and synced (`,
      command(t.inspect),
      '), or raise ',
      timeout,
      '.'
    ]
  return [
    'The rollout was still converging at the deadline: see what it was waiting for. Raise ',
    timeout,
    ' if it is slow by nature.'
  ]
}
