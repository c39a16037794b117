// The test world around a real control plane: simulated nodes (kubelets), the registry, the autoscaler and
// build pods — and the people and pipelines who apply YAML. It never writes what a controller or the scheduler
// writes: ReplicaSets, pods of workloads, workload status and FailedScheduling come from the real components.
import type { ControlPlane } from './controlplane.js'
import type { Obj } from './client.js'
import { Autoscaler, type NodeGroup } from './autoscaler.js'
import { Kubelets, type Clock, type NodeSpec } from './kubelet.js'
import { Recorder } from './recorder.js'
import { Registry } from './registry.js'

export interface WorldOptions {
  /** Wall-clock ms per story-second (default 1000). */
  msPerSecond?: number
  /** Story-seconds of the first crash-loop back-off (default 10, the kubelet's). */
  crashBackoff?: number
  nodes?: NodeSpec[]
  nodeGroups?: NodeGroup[]
}

/** Three general nodes and a tainted GPU node: room for every story's scheduling question. */
export const DEFAULT_NODES: NodeSpec[] = [
  ...[1, 2, 3].map(i => ({
    name: `node-${i}`,
    cpu: '4',
    memory: '8Gi',
    labels: { pool: 'general', 'topology.kubernetes.io/zone': `zone-${'abc'[i - 1]}` }
  })),
  {
    name: 'gpu-1',
    cpu: '8',
    memory: '32Gi',
    labels: { pool: 'gpu', 'topology.kubernetes.io/zone': 'zone-a' },
    taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]
  }
]

const PATHS: Record<string, string> = {
  'v1/Pod': '/api/v1/namespaces/{ns}/pods',
  'v1/Secret': '/api/v1/namespaces/{ns}/secrets',
  'v1/ConfigMap': '/api/v1/namespaces/{ns}/configmaps',
  'v1/PersistentVolumeClaim': '/api/v1/namespaces/{ns}/persistentvolumeclaims',
  'v1/Service': '/api/v1/namespaces/{ns}/services',
  'apps/v1/Deployment': '/apis/apps/v1/namespaces/{ns}/deployments',
  'apps/v1/StatefulSet': '/apis/apps/v1/namespaces/{ns}/statefulsets',
  'apps/v1/DaemonSet': '/apis/apps/v1/namespaces/{ns}/daemonsets',
  'batch/v1/Job': '/apis/batch/v1/namespaces/{ns}/jobs'
}

/** Makes `apply` know a custom resource's path (installCrd calls it). */
export function registerKind(apiVersion: string, kind: string, plural: string, namespaced = true): void {
  PATHS[`${apiVersion}/${kind}`] = namespaced
    ? `/apis/${apiVersion}/namespaces/{ns}/${plural}`
    : `/apis/${apiVersion}/${plural}`
}

export function collectionPath(apiVersion: string, kind: string, ns: string): string {
  const p = PATHS[`${apiVersion}/${kind}`]
  if (!p) throw new Error(`the test world does not know where ${apiVersion} ${kind} lives`)
  return p.replace('{ns}', ns)
}

/** kubectl's rule for a Deployment or StatefulSet: the controller saw the spec and every replica is updated and available. */
export function isRolledOut(d: Obj): boolean {
  const s = d.status ?? {}
  const want = d.spec.replicas ?? 1
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? s.readyReplicas ?? 0) === want
  )
}

export class RealWorld {
  readonly registry = new Registry()
  readonly kubelets: Kubelets
  readonly recorder: Recorder

  private constructor(
    readonly cp: ControlPlane,
    readonly clock: Clock
  ) {
    this.recorder = new Recorder(cp.admin)
    this.kubelets = new Kubelets(cp.admin, this.registry, this.recorder, clock, {
      certFile: cp.pki.kubeletCrt,
      keyFile: cp.pki.kubeletKey
    })
  }

  static async start(cp: ControlPlane, opts: WorldOptions = {}): Promise<RealWorld> {
    const w = new RealWorld(cp, {
      msPerSecond: opts.msPerSecond ?? 1000,
      crashBackoff: opts.crashBackoff ?? 10
    })
    await w.kubelets.start()
    for (const n of opts.nodes ?? DEFAULT_NODES) await w.kubelets.addNode(n)
    if (opts.nodeGroups?.length) {
      const groups = opts.nodeGroups
      const as = new Autoscaler(
        cp.admin,
        w.kubelets,
        w.recorder,
        groups,
        w.clock.msPerSecond,
        g =>
          [...w.kubelets.nodes.values()].filter(
            n => n.labels?.pool === groups.find(x => x.name === g)?.template.labels?.pool
          ).length
      )
      w.kubelets.observers.push(p => as.onPod(p))
    }
    return w
  }

  get api(): ControlPlane['admin'] {
    return this.cp.admin
  }

  /** `kubectl apply --server-side`: creates or updates the object. */
  async apply(obj: Obj): Promise<Obj> {
    const ns = obj.metadata.namespace!
    return await this.api.apply(`${collectionPath(obj.apiVersion!, obj.kind!, ns)}/${obj.metadata.name}`, obj)
  }

  /** Polls the real API until `check` says yes (the world's own waits, not the action's). */
  async until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const v = await check()
      if (v) return v
      if (Date.now() > end) throw new Error(`the test world waited ${ms / 1000} s for ${what}`)
      await new Promise(r => setTimeout(r, 100))
    }
  }

  /** Waits until the Deployment controller reports the rollout complete, as `kubectl rollout status` does. */
  async rolledOut(ns: string, name: string, kind = 'deployments', group = 'apps'): Promise<Obj> {
    return await this.until(`${kind}/${name} to roll out`, async () => {
      const d = await this.api.getOrUndefined(`/apis/${group}/v1/namespaces/${ns}/${kind}/${name}`)
      return d && isRolledOut(d) ? d : undefined
    })
  }

  /** The pods of a workload by its selector's labels. */
  async pods(ns: string, labels: Record<string, string>): Promise<Obj[]> {
    const sel = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')
    return await this.api.list(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(sel)}`)
  }

  async stop(): Promise<void> {
    await this.kubelets.stop()
  }
}
