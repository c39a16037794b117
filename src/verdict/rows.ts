// The report's rows of what the cluster showed: one per new pod, one per Warning event, newest first.
import type { KEvent, Pod } from '../kube/types.js'
import { lastSeen, occurrences } from './events.js'
import type { PodRow, WarningEvent } from './types.js'

export function podRow(p: Pod): PodRow {
  const statuses = p.status?.containerStatuses ?? []
  const total = p.spec?.containers.length ?? statuses.length
  const withState = [...(p.status?.initContainerStatuses ?? []), ...statuses].find(
    c => c.state?.waiting?.reason || c.state?.terminated?.reason
  )
  const state = withState?.state?.waiting?.reason ?? withState?.state?.terminated?.reason
  const unscheduled = (p.status?.conditions ?? []).find(
    c => c.type === 'PodScheduled' && c.status === 'False'
  )
  return {
    name: p.metadata.name,
    phase: p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Unknown'),
    ready: `${statuses.filter(c => c.ready).length}/${total}`,
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    ...(state ? { state } : unscheduled ? { state: unscheduled.reason ?? 'Unschedulable' } : {})
  }
}

export function warningsOf(events: KEvent[]): WarningEvent[] {
  return events
    .filter(e => e.type === 'Warning')
    .sort((a, b) => lastSeen(b).localeCompare(lastSeen(a)))
    .map(e => ({
      object: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
      reason: e.reason ?? '',
      message: e.message ?? '',
      count: occurrences(e),
      lastSeen: lastSeen(e)
    }))
}
