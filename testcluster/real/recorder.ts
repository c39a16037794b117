// Events as the kubelet and the cluster-autoscaler write them: core/v1 with source, count and
// first/lastTimestamp; a repeat of the same reason and message on the same object bumps `count`, as
// client-go's record.EventRecorder aggregates.
import { randomBytes } from 'node:crypto'
import type { Client, Obj } from './client.js'

export interface EventSpec {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  component: 'kubelet' | 'cluster-autoscaler'
  host?: string
  fieldPath?: string
}

const nowIso = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z')

export class Recorder {
  private seen = new Map<string, { name: string; namespace: string; count: number }>()

  constructor(private api: Client) {}

  async record(obj: Obj, spec: EventSpec): Promise<void> {
    const ns = obj.metadata.namespace ?? 'default'
    const key = `${obj.metadata.uid}\u0000${spec.reason}\u0000${spec.message}\u0000${spec.fieldPath ?? ''}`
    const prior = this.seen.get(key)
    try {
      if (prior) {
        prior.count++
        await this.api.patch(`/api/v1/namespaces/${prior.namespace}/events/${prior.name}`, {
          count: prior.count,
          lastTimestamp: nowIso()
        })
        return
      }
      // The recorder names events <object>.<hex of the time>.
      const name = `${obj.metadata.name}.${Date.now().toString(16)}${randomBytes(2).toString('hex')}`
      this.seen.set(key, { name, namespace: ns, count: 1 })
      await this.api.create(`/api/v1/namespaces/${ns}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns },
        involvedObject: {
          kind: obj.kind ?? 'Pod',
          namespace: ns,
          name: obj.metadata.name,
          uid: obj.metadata.uid,
          apiVersion: obj.apiVersion ?? 'v1',
          resourceVersion: obj.metadata.resourceVersion,
          ...(spec.fieldPath ? { fieldPath: spec.fieldPath } : {})
        },
        reason: spec.reason,
        message: spec.message,
        type: spec.type,
        source: { component: spec.component, ...(spec.host ? { host: spec.host } : {}) },
        firstTimestamp: nowIso(),
        lastTimestamp: nowIso(),
        count: 1,
        reportingComponent: spec.component,
        reportingInstance: spec.host ?? ''
      })
    } catch {
      // An object deleted meanwhile (its namespace going away) loses its event, as in a real cluster.
    }
  }
}
