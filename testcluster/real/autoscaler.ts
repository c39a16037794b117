// The cluster-autoscaler, as far as a rollout sees it: for a pod the real scheduler marked Unschedulable it
// simulates the node group's template node; when the pod would fit there it records TriggeredScaleUp and a
// node joins a little later, otherwise NotTriggerScaleUp with the template's reasons. The strings are
// cluster-autoscaler's (core/scaleup, processors/status/eventing_scale_up_processor.go).
import type { Client, Obj } from './client.js'
import type { Kubelets, NodeSpec } from './kubelet.js'
import type { Recorder } from './recorder.js'

export interface NodeGroup {
  name: string
  max: number
  /** Story-seconds from the decision to the new node's registration. */
  provisionSeconds: number
  template: Omit<NodeSpec, 'name'>
}

const UNITS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  m: 1e-3
}

export function quantity(q: string | undefined): number {
  if (!q) return 0
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q)
  if (!m) return 0
  return Number(m[1]) * (UNITS[m[2]!] ?? 1)
}

/** Why the template node would not take the pod (the scheduler's predicate words), or [] when it would. */
export function misfits(pod: Obj, t: Omit<NodeSpec, 'name'>, unboundClaims = 0): string[] {
  const out: string[] = []
  // No node helps a claim that nothing binds (the VolumeBinding plugin fails on the template too).
  if (unboundClaims > 0) out.push('pod has unbound immediate PersistentVolumeClaims')
  const containers = (pod.spec.containers ?? []) as { resources?: { requests?: Record<string, string> } }[]
  const want = (r: string): number => containers.reduce((s, c) => s + quantity(c.resources?.requests?.[r]), 0)
  if (want('cpu') > quantity(t.cpu ?? '4')) out.push('Insufficient cpu')
  if (want('memory') > quantity(t.memory ?? '8Gi')) out.push('Insufficient memory')
  const selector = (pod.spec.nodeSelector ?? {}) as Record<string, string>
  if (Object.entries(selector).some(([k, v]) => t.labels?.[k] !== v))
    out.push("node(s) didn't match Pod's node affinity/selector")
  const tolerations = (pod.spec.tolerations ?? []) as { key?: string; operator?: string; value?: string }[]
  for (const taint of t.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue
    const ok = tolerations.some(
      tol =>
        (tol.key === undefined && tol.operator === 'Exists') ||
        (tol.key === taint.key && (tol.operator === 'Exists' || tol.value === taint.value))
    )
    // The TaintToleration plugin's words since 1.3x (the autoscaler runs the scheduler's framework).
    if (!ok) out.push('node(s) had untolerated taint(s)')
  }
  return out
}

export class Autoscaler {
  private decided = new Set<string>()
  private added = new Map<string, number>()

  constructor(
    private api: Client,
    private kubelets: Kubelets,
    private recorder: Recorder,
    private groups: NodeGroup[],
    private msPerSecond: number,
    private sizeOf: (group: string) => number
  ) {}

  /** Called with every pod the world sees change; acts on Unschedulable pods once each. */
  onPod(pod: Obj): void {
    const cond = ((pod.status?.conditions ?? []) as { type: string; status: string; reason?: string }[]).find(
      c => c.type === 'PodScheduled'
    )
    if (!cond || cond.status !== 'False' || cond.reason !== 'Unschedulable') return
    // A daemon pod is pinned to its node: the autoscaler never scales up for it.
    if (pod.metadata.ownerReferences?.some(o => o.kind === 'DaemonSet')) return
    const uid = pod.metadata.uid!
    if (this.decided.has(uid)) return
    this.decided.add(uid)
    // The autoscaler's loop runs every 10 s; a pod waits for the next pass.
    // The world may stop while a node is still provisioning: that scale-up is simply lost.
    setTimeout(() => void this.decide(pod).catch(() => undefined), 0.5 * this.msPerSecond)
  }

  private async unboundClaims(pod: Obj): Promise<number> {
    const claims = ((pod.spec.volumes ?? []) as { persistentVolumeClaim?: { claimName: string } }[])
      .map(v => v.persistentVolumeClaim?.claimName)
      .filter((n): n is string => Boolean(n))
    let n = 0
    for (const c of claims) {
      const pvc = await this.api.getOrUndefined(
        `/api/v1/namespaces/${pod.metadata.namespace}/persistentvolumeclaims/${c}`
      )
      if (pvc?.status?.phase !== 'Bound') n++
    }
    return n
  }

  private async decide(pod: Obj): Promise<void> {
    const event = (type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> =>
      this.recorder.record(
        { ...pod, kind: 'Pod', apiVersion: 'v1' },
        { type, reason, message, component: 'cluster-autoscaler' }
      )
    const unbound = await this.unboundClaims(pod)
    const fitting = this.groups.find(g => misfits(pod, g.template, unbound).length === 0)
    if (!fitting) {
      const reasons = this.groups.flatMap(g => misfits(pod, g.template, unbound))
      const counts = new Map<string, number>()
      for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1)
      const text = [...counts].map(([r, n]) => `${n} ${r}`).join(', ') || '0 node groups'
      return event('Normal', 'NotTriggerScaleUp', `pod didn't trigger scale-up: ${text}`)
    }
    const size = this.sizeOf(fitting.name) + (this.added.get(fitting.name) ?? 0)
    if (size >= fitting.max)
      return event(
        'Normal',
        'NotTriggerScaleUp',
        "pod didn't trigger scale-up: 1 max node group size reached"
      )
    this.added.set(fitting.name, (this.added.get(fitting.name) ?? 0) + 1)
    await event(
      'Normal',
      'TriggeredScaleUp',
      `pod triggered scale-up: [{${fitting.name} ${size}->${size + 1} (max: ${fitting.max})}]`
    )
    await new Promise(r => setTimeout(r, fitting.provisionSeconds * this.msPerSecond))
    const name = `${fitting.name}-${Math.random().toString(36).slice(2, 7)}`
    await this.kubelets.addNode({
      name,
      ...fitting.template,
      labels: { ...fitting.template.labels, 'cloud.google.com/gke-nodepool': fitting.name }
    })
  }
}
