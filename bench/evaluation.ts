// CPU time of one decision: the settled rollout read from the real cluster by the production reader (as the
// action's last read before a verdict), then decide() on that snapshot, repeated in this process.
import { decide } from '../src/verdict/decide.js'
import type { DigestRef } from '../src/digest/digest.js'
import { readSnapshotWith } from '../testcluster/snapshot.js'

/** Milliseconds of CPU per decision on `deployment/name`'s snapshot, against the built digest. */
export async function evaluationCpu(
  kubeconfig: string,
  namespace: string,
  name: string,
  built: DigestRef
): Promise<{ ms: number; pods: number }> {
  const snap = await readSnapshotWith(kubeconfig, { kind: 'Deployment', name }, namespace, undefined, 30_000)
  const n = 20
  const t = process.cpuUsage()
  for (let i = 0; i < n; i++) decide(snap, { digest: { kind: 'input', refs: [built] } })
  const u = process.cpuUsage(t)
  return { ms: (u.user + u.system) / 1000 / n, pods: snap.pods.length }
}
