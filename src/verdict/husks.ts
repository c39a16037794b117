// Pods the kubelet or the node failed and their controller replaces (evictions, admission rejections, node
// shutdown): read by the decision, which passes over them while replacements come, and by the soak.
import type { Pod } from '../kube/types.js'

/**
 * Why the kubelet or the node failed a pod that its controller then replaces: node-pressure eviction, admission
 * rejection (OutOfcpu, OutOfmemory, NodeAffinity, …), node shutdown. Such a pod says nothing about the rollout
 * while replacements come; only replacements that keep ending so do.
 */
const HUSK_REASONS = new Set([
  'Evicted',
  'OutOfcpu',
  'OutOfmemory',
  'OutOfpods',
  'OutOfephemeral-storage',
  'NodeAffinity',
  'NodeAffinityFailed',
  'UnexpectedAdmissionError',
  'Terminated',
  'Shutdown',
  'NodeShutdown',
  'Preempting'
])

export interface Husk {
  reason: string
  message: string
  node?: string
  /** `memory` for `The node was low on resource: memory.` */
  resource?: string
}

export function replacedHusk(p: Pod): Husk | undefined {
  const reason = p.status?.reason
  if (p.status?.phase !== 'Failed' || !reason || !HUSK_REASONS.has(reason)) return undefined
  if (!(p.metadata.ownerReferences ?? []).some(o => o.controller)) return undefined
  const message = p.status?.message ?? ''
  const resource = /low on resource: ([a-z-]+)/.exec(message)?.[1] ?? /^OutOf(.+)$/.exec(reason)?.[1]
  return {
    reason,
    message,
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    ...(resource ? { resource } : {})
  }
}
