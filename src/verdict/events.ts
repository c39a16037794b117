// Reading core/v1 Events in both shapes: recorder events (count, lastTimestamp) and events.k8s.io events
// (eventTime, series.lastObservedTime, no count).
import type { KEvent } from '../kube/types.js'

export function lastSeen(e: KEvent): string {
  return (
    e.series?.lastObservedTime ??
    e.lastTimestamp ??
    e.eventTime ??
    e.firstTimestamp ??
    e.metadata.creationTimestamp ??
    ''
  )
}

export function occurrences(e: KEvent): number {
  return e.series?.count ?? e.count ?? 1
}

export function component(e: KEvent): string {
  return e.source?.component || e.reportingComponent || ''
}

/** Events about one object, newest last. */
export function eventsFor(events: KEvent[], uid: string | undefined, name: string): KEvent[] {
  return events
    .filter(e =>
      uid && e.involvedObject.uid ? e.involvedObject.uid === uid : e.involvedObject.name === name
    )
    .sort((a, b) => lastSeen(a).localeCompare(lastSeen(b)))
}

export function latest(events: KEvent[], reason: string | RegExp): KEvent | undefined {
  const hits = events.filter(e =>
    typeof reason === 'string' ? e.reason === reason : reason.test(e.reason ?? '')
  )
  return hits[hits.length - 1]
}
