// Events as the components write them: kubelet and autoscaler through core/v1 (count, first/lastTimestamp),
// the scheduler through events.k8s.io/v1 (eventTime, series, reportingController), read back via core/v1.
import { nowIso, nowMicroIso, type KObject, type Store } from './store.js'

export type EventShape = 'core' | 'events.k8s.io'

export interface EventSpec {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  component: string
  host?: string
  fieldPath?: string
  shape?: EventShape
  /** events.k8s.io only: the action the component took (Scheduling, Binding). */
  action?: string
}

/** The recorder's aggregation key → event name, per store: a look-up, not a scan of every event. */
const aggregated = new WeakMap<Store, Map<string, string>>()

export function recordEvent(store: Store, obj: KObject, spec: EventSpec): KObject {
  const ns = obj.metadata.namespace ?? 'default'
  const involved = {
    kind: obj.kind,
    namespace: ns,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: obj.metadata.resourceVersion,
    ...(spec.fieldPath ? { fieldPath: spec.fieldPath } : {})
  }
  // Same object, reason and message: the recorder aggregates into one Event (count / series).
  const index = aggregated.get(store) ?? aggregated.set(store, new Map()).get(store)!
  const aggKey = `${obj.metadata.uid}\u0000${spec.reason}\u0000${spec.message}`
  const existingName = index.get(aggKey)
  const existing = existingName ? store.get('events', ns, existingName) : undefined
  const shape = spec.shape ?? 'core'
  if (existing) {
    if (shape === 'core') {
      existing.count = ((existing.count as number) ?? 1) + 1
      existing.lastTimestamp = nowIso()
    } else {
      const series = (existing.series as { count: number } | undefined) ?? { count: 1 }
      existing.series = { count: series.count + 1, lastObservedTime: nowMicroIso() }
    }
    return store.put({ ...existing, kind: 'Event' })
  }
  const name = `${obj.metadata.name}.${store.newUid().replace(/-/g, '').slice(-16)}`
  index.set(aggKey, name)
  const base = {
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: involved,
    reason: spec.reason,
    message: spec.message,
    type: spec.type
  }
  if (shape === 'core') {
    return store.put({
      ...base,
      source: { component: spec.component, ...(spec.host ? { host: spec.host } : {}) },
      firstTimestamp: nowIso(),
      lastTimestamp: nowIso(),
      count: 1,
      eventTime: null,
      reportingComponent: spec.component,
      reportingInstance: spec.host ?? ''
    })
  }
  return store.put({
    ...base,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime: nowMicroIso(),
    action: spec.action ?? spec.reason,
    reportingComponent: spec.component,
    reportingInstance: `${spec.component}-control-plane-0`
  })
}
