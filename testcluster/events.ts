// The stand-in's events, written into its store: the kubelet, autoscaler and controllers through core/v1 (the
// shared recorder's shape and aggregation), the scheduler through events.k8s.io/v1 (eventTime, series,
// reportingController), read back via core/v1.
import { nowMicroIso } from './shared/clock.js'
import {
  coreEvent,
  EventAggregator,
  involvedObject,
  repeatPatch,
  type EventSpec as CoreEventSpec
} from './shared/events.js'
import type { KObject } from './shared/object.js'
import type { Store } from './store.js'

export type EventShape = 'core' | 'events.k8s.io'

export interface EventSpec extends CoreEventSpec {
  shape?: EventShape
  /** events.k8s.io only: the action the component took (Scheduling, Binding). */
  action?: string
}

/** Each store's recorder memory: a look-up, not a scan of every event. */
const recorders = new WeakMap<Store, EventAggregator>()

export function recordEvent(store: Store, obj: KObject, spec: EventSpec): KObject {
  const events = recorders.get(store) ?? recorders.set(store, new EventAggregator()).get(store)!
  const prior = events.repeat(obj, spec)
  const existing = prior && store.get('events', prior.namespace, prior.name)
  const shape = spec.shape ?? 'core'
  if (prior && existing) {
    const bumped =
      shape === 'core'
        ? repeatPatch(prior)
        : { series: { count: prior.count, lastObservedTime: nowMicroIso() } }
    return store.put({ ...existing, ...bumped, kind: 'Event' })
  }
  const name = `${obj.metadata.name}.${store.newUid().replace(/-/g, '').slice(-16)}`
  events.first(obj, spec, name)
  if (shape === 'core') return store.put(coreEvent(obj, spec, name))
  return store.put({
    kind: 'Event',
    metadata: { name, namespace: obj.metadata.namespace ?? 'default' },
    involvedObject: involvedObject(obj, spec.fieldPath),
    reason: spec.reason,
    message: spec.message,
    type: spec.type,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime: nowMicroIso(),
    action: spec.action ?? spec.reason,
    reportingComponent: spec.component,
    reportingInstance: `${spec.component}-control-plane-0`
  })
}
