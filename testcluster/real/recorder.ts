// Events as the simulated kubelets and the cluster-autoscaler write them to the real apiserver: the shared
// recorder's core/v1 shape and aggregation (a repeat bumps `count`), named <object>.<hex of the time>.
import { randomBytes } from 'node:crypto'
import { coreEvent, EventAggregator, repeatPatch, type EventSpec as CoreEventSpec } from '../shared/events.js'
import type { Client, Obj } from './client.js'

export interface EventSpec extends CoreEventSpec {
  component: 'kubelet' | 'cluster-autoscaler'
}

export class Recorder {
  private events = new EventAggregator()

  constructor(private api: Client) {}

  async record(obj: Obj, spec: EventSpec): Promise<void> {
    try {
      const prior = this.events.repeat(obj, spec)
      if (prior) {
        await this.api.patch(`/api/v1/namespaces/${prior.namespace}/events/${prior.name}`, repeatPatch(prior))
        return
      }
      const name = `${obj.metadata.name}.${Date.now().toString(16)}${randomBytes(2).toString('hex')}`
      this.events.first(obj, spec, name)
      const event = coreEvent(obj, spec, name)
      await this.api.create(`/api/v1/namespaces/${event.metadata.namespace}/events`, event)
    } catch {
      // An object deleted meanwhile (its namespace going away) loses its event, as in a real cluster.
    }
  }
}
