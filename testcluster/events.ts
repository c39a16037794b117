// An event a test stages on the stand-in (a kubelet's probe failure on a recorded pod), written into its store
// through core/v1 as the kubelet's recorder writes it: the shared recorder's shape and aggregation.
import { coreEvent, EventAggregator, repeatPatch, type EventSpec } from './shared/events.js'
import type { KObject } from './shared/object.js'
import type { Store } from './store.js'

export type { EventSpec }

/** Each store's recorder memory: a look-up, not a scan of every event. */
const recorders = new WeakMap<Store, EventAggregator>()

export function recordEvent(store: Store, obj: KObject, spec: EventSpec): KObject {
  const events = recorders.get(store) ?? recorders.set(store, new EventAggregator()).get(store)!
  const prior = events.repeat(obj, spec)
  const existing = prior && store.get('events', prior.namespace, prior.name)
  if (prior && existing) return store.put({ ...existing, ...repeatPatch(prior), kind: 'Event' })
  const name = `${obj.metadata.name}.${store.newUid().replace(/-/g, '').slice(-16)}`
  events.first(obj, spec, name)
  return store.put(coreEvent(obj, spec, name))
}
