// Events as client-go's record.EventRecorder writes them through core/v1, for both test worlds: the kubelet's and
// the cluster-autoscaler's (and, in the stand-in, the controllers'). A repeat on the same object and field with
// the same reason and message is aggregated into the first Event: its count goes up, its lastTimestamp moves.
import { nowIso } from './clock.js'
import type { KObject } from './object.js'

export interface EventSpec {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  component: string
  host?: string
  fieldPath?: string
}

/** An aggregated Event: where it is and how many times it was said. */
export interface Recorded {
  name: string
  namespace: string
  count: number
}

/** The recorder's memory of the Events it wrote, keyed as client-go's EventCorrelator keys them. */
export class EventAggregator {
  private seen = new Map<string, Recorded>()

  /** The Event this one repeats, its count now one more; undefined when it is the first. */
  repeat(obj: KObject, spec: EventSpec): Recorded | undefined {
    const prior = this.seen.get(keyOf(obj, spec))
    if (prior) prior.count++
    return prior
  }

  /** Notes the first Event of its kind, written as `name`. */
  first(obj: KObject, spec: EventSpec, name: string): void {
    this.seen.set(keyOf(obj, spec), { name, namespace: namespaceOf(obj), count: 1 })
  }
}

function keyOf(obj: KObject, spec: EventSpec): string {
  return [obj.metadata.uid, spec.fieldPath ?? '', spec.reason, spec.message].join('\u0000')
}

const namespaceOf = (obj: KObject): string => obj.metadata.namespace ?? 'default'

/** The object an Event is about, as the recorder's ObjectReference names it. */
export function involvedObject(obj: KObject, fieldPath?: string): Record<string, unknown> {
  return {
    kind: obj.kind ?? 'Pod',
    namespace: namespaceOf(obj),
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    apiVersion: obj.apiVersion ?? 'v1',
    resourceVersion: obj.metadata.resourceVersion,
    ...(fieldPath ? { fieldPath } : {})
  }
}

/** The first core/v1 Event named `name`: count 1, first and last seen now. */
export function coreEvent(obj: KObject, spec: EventSpec, name: string): KObject {
  const now = nowIso()
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: namespaceOf(obj) },
    involvedObject: involvedObject(obj, spec.fieldPath),
    reason: spec.reason,
    message: spec.message,
    type: spec.type,
    source: { component: spec.component, ...(spec.host ? { host: spec.host } : {}) },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    eventTime: null,
    reportingComponent: spec.component,
    reportingInstance: spec.host ?? ''
  }
}

/** The patch a repeat makes to its first Event. */
export function repeatPatch(r: Recorded): { count: number; lastTimestamp: string } {
  return { count: r.count, lastTimestamp: nowIso() }
}
