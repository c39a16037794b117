// Pods the kubelet or the node failed and their controller replaces (evictions, admission rejections, node
// shutdown): read by the decision, which passes over them while replacements come, and by the soak.
import type { Pod } from '../kube/types.js'
import type { Observed } from './types.js'

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

/** Husks its controller replaces are no finding, until replacements keep ending the same way. */
export const HUSKS_FINAL = 3

export function huskFinding(pods: Pod[]): Observed | undefined {
  const byReason = new Map<string, Husk[]>()
  for (const p of pods) {
    const h = replacedHusk(p)
    if (h) byReason.set(h.reason, [...(byReason.get(h.reason) ?? []), h])
  }
  const [reason, husks] = [...byReason].sort((a, b) => b[1].length - a[1].length)[0] ?? []
  if (!reason || !husks || husks.length < HUSKS_FINAL) return undefined
  const nodes = [...new Set(husks.map(h => h.node).filter((n): n is string => Boolean(n)))]
  const resource = husks[0]!.resource
  const what =
    reason === 'Evicted'
      ? `evicted${resource ? ` for ${resource} pressure` : ''}`
      : reason === 'Terminated' || /Shutdown/.test(reason)
        ? 'ended by node shutdowns'
        : `rejected by the kubelet (${reason})`
  const where = nodes.length ? ` on ${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')}` : ''
  return {
    cause: 'replaced',
    facts: { reason, pods: husks.length, nodes, ...(resource ? { resource } : {}) },
    verdict: 'crash-loop',
    severity: 'error',
    subject: 'new pods',
    message: `${husks.length} ${what}${where}: the replacements keep ending the same way`,
    detail: [husks[0]!.message].filter(Boolean)
  }
}
