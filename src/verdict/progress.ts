// Which rule judges the workload: one small module per kind, as gitops-engine's health checks are.
import type { Snapshot } from '../kube/snapshot.js'
import type { ArgoRollout, DaemonSet, Deployment, Job, KnativeService, StatefulSet } from '../kube/types.js'
import { daemonSetState } from './daemonset.js'
import { jobState } from './job.js'
import { knativeState } from './knative.js'
import { argoRolloutState } from './argo-rollout.js'
import { podsState } from './pods-by-selector.js'
import { rolloutState, type RolloutState } from './rollout.js'
import { statefulSetState } from './statefulset.js'

export function progressOf(snap: Snapshot): RolloutState {
  const obj = snap.object!
  switch (snap.workload.kind) {
    case 'Deployment':
      return rolloutState(obj as Deployment, snap.replicaSets, snap.pods)
    case 'StatefulSet':
      return statefulSetState(obj as StatefulSet, snap.pods)
    case 'DaemonSet':
      return daemonSetState(obj as DaemonSet, snap.pods)
    case 'Job':
      return jobState(obj as Job, snap.pods)
    case 'KnativeService':
      return knativeState(obj as KnativeService, snap.pods)
    case 'Rollout':
      return argoRolloutState(obj as ArgoRollout, snap.pods)
    case 'Pods':
      return podsState(snap.pods)
  }
}
