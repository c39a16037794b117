// What the caches keep of each object: the fields a decision reads. Real objects carry managedFields, volumes,
// env and annotations that would multiply the memory of a 1,000-pod rollout for nothing.
import type { Condition, ContainerStatus, Pod } from './types.js'

export function trimPod(p: Pod): Pod {
  const m = p.metadata
  return {
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      ...(m.uid ? { uid: m.uid } : {}),
      ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.creationTimestamp ? { creationTimestamp: m.creationTimestamp } : {}),
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
      ...(m.labels ? { labels: m.labels } : {}),
      ...(m.ownerReferences
        ? {
            ownerReferences: m.ownerReferences.map(o => ({
              kind: o.kind,
              name: o.name,
              uid: o.uid,
              ...(o.controller ? { controller: true } : {})
            }))
          }
        : {})
    },
    ...(p.spec
      ? {
          spec: {
            ...(p.spec.nodeName ? { nodeName: p.spec.nodeName } : {}),
            ...(p.spec.restartPolicy ? { restartPolicy: p.spec.restartPolicy } : {}),
            containers: p.spec.containers.map(c => ({
              name: c.name,
              ...(c.image ? { image: c.image } : {}),
              ...(c.readinessProbe
                ? { readinessProbe: { periodSeconds: c.readinessProbe.periodSeconds ?? 10 } }
                : {})
            })),
            ...(p.spec.initContainers
              ? {
                  initContainers: p.spec.initContainers.map(c => ({
                    name: c.name,
                    ...(c.image ? { image: c.image } : {}),
                    ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {})
                  }))
                }
              : {})
          }
        }
      : {}),
    ...(p.status ? { status: trimStatus(p.status) } : {})
  }
}

/** Without the addresses, QoS class, container IDs, resources and volume mounts a real pod's status carries. */
function trimStatus(s: NonNullable<Pod['status']>): NonNullable<Pod['status']> {
  return {
    ...(s.phase ? { phase: s.phase } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.message ? { message: s.message } : {}),
    ...(s.startTime ? { startTime: s.startTime } : {}),
    ...(s.conditions ? { conditions: s.conditions.map(trimCondition) } : {}),
    ...(s.containerStatuses ? { containerStatuses: s.containerStatuses.map(trimContainerStatus) } : {}),
    ...(s.initContainerStatuses
      ? { initContainerStatuses: s.initContainerStatuses.map(trimContainerStatus) }
      : {})
  }
}

function trimCondition(c: Condition): Condition {
  return {
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
    ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {})
  }
}

function trimContainerStatus(c: ContainerStatus): ContainerStatus {
  return {
    name: c.name,
    ...(c.image ? { image: c.image } : {}),
    ...(c.imageID ? { imageID: c.imageID } : {}),
    ...(c.ready !== undefined ? { ready: c.ready } : {}),
    ...(c.started !== undefined ? { started: c.started } : {}),
    ...(c.restartCount !== undefined ? { restartCount: c.restartCount } : {}),
    ...(c.state ? { state: c.state } : {}),
    ...(c.lastState ? { lastState: c.lastState } : {})
  }
}
