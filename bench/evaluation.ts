// CPU time of one decision: the settled rollout read from the real cluster by the production reader (as the
// action's last read before a verdict), then decide() on that snapshot, repeated in this process.
import { loadKubeconfig } from '../src/kube/config.js'
import { KubeApi } from '../src/kube/api.js'
import { SnapshotReader } from '../src/kinds/reader.js'
import { decide } from '../src/verdict/decide.js'
import type { Snapshot } from '../src/kube/snapshot.js'
import type { DigestRef } from '../src/digest/digest.js'

async function readDeployment(kubeconfig: string, namespace: string, name: string): Promise<Snapshot> {
  const loaded = loadKubeconfig({ kind: 'inline', content: kubeconfig }, undefined, {}, () => undefined)
  const api = new KubeApi(loaded.kc, { requestTimeoutMs: 30_000 })
  const reader = new SnapshotReader(api, { kind: 'Deployment', name, namespace })
  try {
    return await reader.read({ thorough: true })
  } finally {
    reader.stop()
  }
}

/** Milliseconds of CPU per decision on `deployment/name`'s snapshot, against the built digest. */
export async function evaluationCpu(
  kubeconfig: string,
  namespace: string,
  name: string,
  built: DigestRef
): Promise<{ ms: number; pods: number }> {
  const snap = await readDeployment(kubeconfig, namespace, name)
  const n = 20
  const t = process.cpuUsage()
  for (let i = 0; i < n; i++) decide(snap, { digest: { kind: 'input', refs: [built] } })
  const u = process.cpuUsage(t)
  return { ms: (u.user + u.system) / 1000 / n, pods: snap.pods.length }
}
