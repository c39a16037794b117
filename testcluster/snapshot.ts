// Snapshots for the pure tests, made from the test cluster's world without HTTP.
import type { Snapshot } from '../src/kube/snapshot.js'
import type { Deployment, KEvent, Pod, ReplicaSet, WorkloadObject } from '../src/kube/types.js'
import type { WorkloadKind } from '../src/inputs.js'
import { Store } from './store.js'
import { matchLabels, parseLabelSelector } from './selectors.js'
import { World } from './world.js'
import { NS } from './scenarios.js'

export function newWorld(): World {
  return new World(new Store())
}

export function snapshotOf(
  w: World,
  name = 'web',
  build?: { name: string; namespace: string },
  kind: WorkloadKind = 'Deployment'
): Snapshot {
  const all = w.store.list('pods', NS) as unknown as Pod[]
  // Pods by selector: `name` is the selector; the first pod's containers stand in for a template.
  const selected =
    kind === 'Pods' ? all.filter(p => matchLabels(parseLabelSelector(name), p.metadata.labels)) : []
  const obj =
    kind === 'Pods'
      ? selected[0] &&
        ({
          metadata: { name, namespace: NS, uid: '' },
          spec: { template: { spec: { containers: selected[0].spec?.containers ?? [] } } }
        } as WorkloadObject)
      : (w.store.find(kind, NS, name) as unknown as WorkloadObject | undefined)
  const dep = kind === 'Deployment' ? (obj as Deployment | undefined) : undefined
  const rss = kind === 'Deployment' ? (w.store.list('replicasets', NS) as unknown as ReplicaSet[]) : []
  const newest = dep
    ? rss
        .filter(r => r.metadata.ownerReferences?.some(o => o.uid === dep.metadata.uid))
        .sort(
          (a, b) =>
            Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']) -
            Number(a.metadata.annotations?.['deployment.kubernetes.io/revision'])
        )[0]
    : undefined
  const pods =
    kind === 'Pods'
      ? selected
      : kind === 'Deployment'
        ? all.filter(
            p =>
              newest &&
              p.metadata.labels?.['pod-template-hash'] === newest.metadata.labels?.['pod-template-hash']
          )
        : kind === 'KnativeService'
          ? all.filter(p => p.metadata.labels?.['serving.knative.dev/service'] === name)
          : kind === 'Rollout'
            ? all.filter(
                p =>
                  p.metadata.labels?.['rollouts-pod-template-hash'] !== undefined &&
                  p.metadata.labels?.app === name
              )
            : all.filter(p => obj && p.metadata.ownerReferences?.some(o => o.uid === obj.metadata.uid))
  const logs: Record<string, string> = {}
  for (const p of pods)
    for (const cs of p.status?.containerStatuses ?? []) {
      const text = w.store.readLog(NS, p.metadata.name, cs.name, (cs.restartCount ?? 0) > 0)
      const exited = (cs.restartCount ?? 0) > 0 || (cs.state?.terminated?.exitCode ?? 0) !== 0
      if (text && exited) logs[`${p.metadata.name}/${cs.name}`] = text
    }
  const snap: Snapshot = {
    takenAt: new Date().toISOString(),
    workload: { kind, namespace: NS, name } as Snapshot['workload'],
    object: obj ?? null,
    replicaSets: rss,
    pods,
    events: w.store.list('events', NS) as unknown as KEvent[],
    logs,
    unreadable: []
  }
  if (build) {
    const pod = (w.store.find('Pod', build.namespace, build.name) as unknown as Pod | undefined) ?? null
    snap.build = {
      namespace: build.namespace,
      ref: build.name,
      pod,
      ...(pod ? { log: w.store.readLog(build.namespace, build.name, 'kaniko', false) ?? '' } : {})
    }
  }
  return snap
}
