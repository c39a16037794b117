// FailedScheduling messages as kube-scheduler writes them (1.18 to 1.36), and the cluster-autoscaler's answers.
export type SchedulingCause =
  | 'resources'
  | 'node-affinity'
  | 'taint'
  | 'volume'
  | 'pod-affinity'
  | 'ports'
  | 'node-unschedulable'
  | 'topology-spread'
  | 'no-nodes'
  | 'other'

export interface SchedulingReason {
  cause: SchedulingCause
  /** The scheduler's words for this reason, count removed: `Insufficient memory`. */
  text: string
  /** How many nodes gave this reason. */
  nodes: number
  /** `memory` for Insufficient memory; the taint key for a taint. */
  detail?: string
}

export interface SchedulingFailure {
  available?: number
  total?: number
  reasons: SchedulingReason[]
}

function classify(text: string): { cause: SchedulingCause; detail?: string } {
  let m = /^Insufficient (\S+)/.exec(text)
  if (m) return { cause: 'resources', detail: m[1] }
  if (/Too many pods/i.test(text)) return { cause: 'resources', detail: 'pods' }
  if (/had (untolerated )?taints?\b|had untolerated taint\(s\)/.test(text)) {
    m = /\{([^:}]+):/.exec(text)
    return m ? { cause: 'taint', detail: m[1]!.trim() } : { cause: 'taint' }
  }
  // A PreFilter that narrowed the nodes (a DaemonSet pod's affinity to its one node) names its plugin instead.
  m = /didn't satisfy plugin\(s\) \[([^\]]+)\]/.exec(text)
  if (m) {
    const plugins = m[1]!.split(/,\s*/)
    if (plugins.includes('NodeAffinity')) return { cause: 'node-affinity' }
    if (plugins.includes('VolumeBinding')) return { cause: 'volume' }
    if (plugins.includes('TaintToleration')) return { cause: 'taint' }
  }
  if (
    /didn't match (Pod's )?node affinity|didn't match node selector|node\(s\) didn't match node affinity/i.test(
      text
    )
  )
    return { cause: 'node-affinity' }
  if (
    /volume node affinity|PersistentVolumeClaim|persistentvolumeclaim|volume count|volume zone|exceed max volume|didn't find available persistent volumes/i.test(
      text
    )
  )
    return { cause: 'volume' }
  if (/pod (anti-)?affinity|existing pods anti-affinity/i.test(text)) return { cause: 'pod-affinity' }
  if (/free ports/i.test(text)) return { cause: 'ports' }
  if (/topology spread/i.test(text)) return { cause: 'topology-spread' }
  if (/were unschedulable|node\(s\) had unschedulable|unschedulable/i.test(text))
    return { cause: 'node-unschedulable' }
  return { cause: 'other' }
}

/** Splits `a, 2 b, 3 c` on the commas that begin a new counted reason (old taint wordings contain `, that`). */
function splitReasons(body: string): string[] {
  return body
    .split(/,\s+(?=\d+\s)/)
    .map(s => s.trim().replace(/\.$/, ''))
    .filter(s => s !== '')
}

export function parseFailedScheduling(message: string): SchedulingFailure {
  const msg = message.trim()
  if (/^no nodes available to schedule pods/i.test(msg)) {
    return {
      available: 0,
      total: 0,
      reasons: [{ cause: 'no-nodes', text: 'no nodes available to schedule pods', nodes: 0 }]
    }
  }
  // The `preemption:` part says whether evicting pods would help; it is not a reason. Sentences after the first
  // are other post-filter notes, not reasons: 1.34+'s DRA plugin adds `no new claims to deallocate`, and the
  // volume binder's unbound-claim reason is followed by `not found`.
  const main = msg.split(/[.,]?\s*preemption:/)[0]!.split(/\.\s+(?!\d)/)[0]!
  const head = /^(\d+)\/(\d+) nodes are available:?\s*(.*)$/s.exec(main)
  if (!head) {
    const c = classify(main)
    return { reasons: [{ ...c, text: main.replace(/\.$/, ''), nodes: 0 }] }
  }
  const total = Number(head[2])
  const reasons = splitReasons(head[3]!).map(part => {
    const m = /^(\d+)\s+(.*)$/s.exec(part)
    const text = (m ? m[2]! : part).trim()
    return { ...classify(text), text, nodes: m ? Number(m[1]) : total }
  })
  return { available: Number(head[1]), total, reasons }
}

export function describeScheduling(f: SchedulingFailure): string {
  const parts = f.reasons.map(r =>
    f.total !== undefined && r.nodes ? `${r.text} on ${r.nodes}/${f.total} nodes` : r.text
  )
  return parts.join('; ')
}

/** cluster-autoscaler: `pod triggered scale-up: [{pool 3->4 (max: 10)}]`. */
export function parseTriggeredScaleUp(message: string): string[] {
  return [...message.matchAll(/\{([^\s{}]+)\s+(\d+)->(\d+)\s*\(max:\s*(\d+)\)\}/g)].map(
    m => `${m[1]} ${m[2]}→${m[3]} (max ${m[4]})`
  )
}

/** cluster-autoscaler: `pod didn't trigger scale-up: 1 max node group size reached, 2 Insufficient memory`. */
export function parseNotTriggerScaleUp(message: string): string {
  const m = /didn't trigger scale-up(?: \(([^)]*)\))?:\s*(.*)$/s.exec(message)
  if (!m) return message
  return [m[1], m[2]].filter(Boolean).join(': ').replace(/\.$/, '')
}
