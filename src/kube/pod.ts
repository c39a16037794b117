// What a pod's status says, read the same way by the reader (what to fetch), the kinds (what is ready) and the
// decision (what went wrong).
import type { ContainerStatus, Pod } from './types.js'

export function isPodReady(p: Pod): boolean {
  return (p.status?.conditions ?? []).some(c => c.type === 'Ready' && c.status === 'True')
}

/** The pod has run to its end (a build pod, a Job's pod): no container will start again. */
export function hasEnded(p: Pod): boolean {
  const statuses = p.status?.containerStatuses ?? []
  const phase = p.status?.phase
  return (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    (statuses.length > 0 && statuses.every(c => c.state?.terminated))
  )
}

/** Containers whose log explains a crash: a restarted one's previous log, or one that exited non-zero. */
export function crashedContainers(p: Pod): { status: ContainerStatus; previous: boolean }[] {
  return [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
    .map(status => ({
      status,
      previous: (status.restartCount ?? 0) > 0 && Boolean(status.lastState?.terminated)
    }))
    .filter(({ status, previous }) => previous || (status.state?.terminated?.exitCode ?? 0) !== 0)
}
