// What a test stages by hand on top of a replayed recording: the kubelet's events on a pod, and the end of a Kaniko
// build container; and look-ups. The stand-in imitates no controller, scheduler or kubelet: its stories replay
// what the real control plane wrote (stories/recorded.ts, timeline/replay.ts).
import { createHash } from 'node:crypto'
import { recordEvent, type EventSpec } from './events.js'
import { nowIso } from './shared/clock.js'
import type { KObject } from './shared/object.js'
import type { Store } from './store.js'

export function fakeDigest(seed: string): `sha256:${string}` {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`
}

export interface ContainerStatus {
  name: string
  image: string
  imageID: string
  ready: boolean
  started?: boolean
  restartCount: number
  containerID?: string
  state: {
    waiting?: { reason: string; message?: string }
    running?: { startedAt: string }
    terminated?: Terminated
  }
  lastState: { terminated?: Terminated }
}
interface Terminated {
  exitCode: number
  reason: string
  message?: string
  startedAt?: string
  finishedAt?: string
  containerID?: string
}
type Condition = { type: string; status: string; reason?: string; lastTransitionTime?: string }
type Pod = KObject & {
  spec: { nodeName?: string; containers: { name: string; image: string; args?: string[] }[] }
  status: { phase: string; conditions?: Condition[]; containerStatuses?: ContainerStatus[] }
}

export class World {
  constructor(readonly store: Store) {}

  get(kind: string, namespace: string | undefined, name: string): KObject {
    const o = this.store.find(kind, namespace, name)
    if (!o) throw new Error(`test world has no ${kind} ${namespace}/${name}`)
    return o
  }

  pod(name: string, namespace: string): Pod {
    return this.get('Pod', namespace, name) as Pod
  }

  /** An event the kubelet records on a pod (a probe's failure, a kill), as core/v1 writes it. */
  kubeletEvent(
    pod: string,
    namespace: string,
    spec: Omit<EventSpec, 'component'> & { container?: string }
  ): void {
    const p = this.pod(pod, namespace)
    recordEvent(this.store, p, {
      component: 'kubelet',
      host: p.spec.nodeName,
      fieldPath: spec.container ? `spec.containers{${spec.container}}` : undefined,
      ...spec
    })
  }

  /** Lines the build container prints (its first container's log). */
  buildLog(name: string, namespace: string, ...lines: string[]): void {
    const container = this.pod(name, namespace).status.containerStatuses?.[0]?.name ?? 'kaniko'
    for (const l of lines) this.store.appendLog(namespace, name, container, l)
  }

  /**
   * The build container ends: exit 0 is Completed and Succeeded, anything else Error and Failed; `message` is its
   * termination message (where a build may write the digest it pushed).
   */
  buildEnds(name: string, namespace: string, exitCode: number, message?: string): void {
    const p = this.pod(name, namespace)
    const cs = p.status.containerStatuses![0]!
    cs.state = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: cs.state.running?.startedAt ?? nowIso(),
        finishedAt: nowIso(),
        ...(message ? { message } : {})
      }
    }
    cs.ready = false
    cs.started = false
    p.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed'
    const ready = (p.status.conditions ??= []).find(c => c.type === 'Ready')
    const notReady = { type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: nowIso() }
    if (ready) Object.assign(ready, notReady)
    else p.status.conditions.push(notReady)
    this.store.put(p)
  }
}
