// What the caches keep of each object: the fields a decision reads. Real objects carry managedFields, volumes,
// env and annotations that would multiply the memory of a 1,000-pod rollout for nothing.
import type { Pod } from './types.js'

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
    ...(p.status ? { status: p.status } : {})
  }
}
