// apps/v1 StatefulSet, by kubectl's rule (rollout status for statefulsets), with partitions, OnDelete and
// ordered start. Its pods name it as their owner.
import { selectorString } from '../kube/selector.js'
import type { Pod, StatefulSet } from '../kube/types.js'
import { isPodReady } from '../kube/pod.js'
import { live, templateContainers, type Kind, type Progress, type RolloutState } from './kind.js'

function ordinal(p: Pod): number {
  return Number(/-(\d+)$/.exec(p.metadata.name)?.[1] ?? -1)
}

function onDelete(
  sts: StatefulSet,
  label: string,
  pods: Pod[],
  progress: Progress
): RolloutState | undefined {
  const rev = sts.status?.updateRevision
  const old = pods.filter(p => rev && p.metadata.labels?.['controller-revision-hash'] !== rev)
  if (sts.spec?.updateStrategy?.type !== 'OnDelete' || old.length === 0) return undefined
  const names = old.map(p => p.metadata.name).slice(0, 5)
  return {
    ...progress,
    phase: 'stuck',
    finding: {
      cause: 'on-delete',
      facts: { pods: names },
      verdict: 'stale',
      severity: 'error',
      subject: label,
      message: `${label} updates pods only when they are deleted (updateStrategy OnDelete): ${old.length} of ${pods.length} pods still run the previous revision (${names.join(', ')}); delete them to roll out`
    },
    waitingFor: `${old.length} pods to be deleted and recreated (OnDelete)`
  }
}

export const statefulSet: Kind<StatefulSet> = {
  noun: 'statefulset',
  title: 'StatefulSet',
  aliases: ['statefulset', 'statefulsets', 'sts', 'statefulset.apps', 'statefulsets.apps'],
  resource: { group: 'apps', version: 'v1', plural: 'statefulsets' },
  manifest: { group: 'apps', kind: 'StatefulSet' },
  generation: 'required',
  controller: 'StatefulSet controller',
  pods: { via: 'selector', selector: o => selectorString(o.spec?.selector), owned: true },
  containers: templateContainers,
  rule: ({ object: sts, pods, label }): RolloutState => {
    const st = sts.status ?? {}
    const desired = sts.spec?.replicas ?? 1
    const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0
    const current = live(pods).sort((a, b) => ordinal(a) - ordinal(b))
    // New pods: those at the update revision (above the partition, the only ones a partitioned update touches).
    const rev = st.updateRevision
    const newPods = rev
      ? current.filter(
          p => p.metadata.labels?.['controller-revision-hash'] === rev && ordinal(p) >= partition
        )
      : current
    const ready = st.readyReplicas ?? 0
    const updated = st.updatedReplicas ?? 0
    const progress = { newPods, desired, updated, ready, available: st.availableReplicas ?? ready }
    const stuck = onDelete(sts, label, current, progress)
    if (stuck) return stuck
    const waiting = (waitingFor: string): RolloutState => ({ ...progress, phase: 'progressing', waitingFor })
    if (ready < desired) {
      // OrderedReady: pod N+1 waits for pod N. The lowest unready pod is the one to look at.
      const blocker =
        sts.spec?.podManagementPolicy !== 'Parallel' ? current.find(p => !isPodReady(p)) : undefined
      return waiting(
        `${ready} of ${desired} pods Ready${blocker ? `; ${blocker.metadata.name} holds up the pods after it (ordered start)` : ''}`
      )
    }
    if (partition > 0)
      return updated < desired - partition
        ? waiting(
            `partitioned rollout: ${updated} of ${desired - partition} pods above partition ${partition} updated`
          )
        : { ...progress, phase: 'complete' }
    if (st.updateRevision !== st.currentRevision)
      return waiting(`rolling update: ${updated} of ${desired} pods at revision ${st.updateRevision}`)
    return { ...progress, phase: 'complete' }
  },
  commands: {
    restart: t => `kubectl rollout restart ${t.label} -n ${t.namespace}`,
    setImage: (t, c, image) => `kubectl set image ${t.label} ${c}=${image} -n ${t.namespace}`
  }
}
