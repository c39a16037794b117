// Unrelated objects in the rollout's namespace on the real control plane, created by the bench through the API as
// any other tenant would: pods no scheduler serves (they stay Pending, so no kubelet or controller acts on them)
// and kubelet-like events about them. What kube-verdict must not read, at the size of a busy namespace.
import type { Client, Obj } from '../testcluster/real/client.js'

/** Runs `make(i)` for i < n, `width` at a time. */
async function pooled(n: number, width: number, make: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < n) await make(next++)
  }
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker))
}

/** `pods` Pending pods labelled `app: noise` (not web's selector) and `events` Normal events about them. */
export async function addNoise(api: Client, ns: string, pods: number, events: number): Promise<void> {
  const uids: string[] = []
  await pooled(pods, 32, async i => {
    const p: Obj = await api.create(`/api/v1/namespaces/${ns}/pods`, {
      metadata: { name: `noise-${i}`, labels: { app: 'noise', shard: String(i % 10) } },
      // No scheduler serves this name: the pod stays Pending and unbound.
      spec: { schedulerName: 'no-scheduler', containers: [{ name: 'c', image: 'busybox' }] }
    })
    uids[i] = p.metadata.uid!
  })
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  await pooled(events, 32, async i =>
    api.create(`/api/v1/namespaces/${ns}/events`, {
      metadata: { name: `noise-${i % pods}.${i.toString(16)}` },
      involvedObject: {
        kind: 'Pod',
        apiVersion: 'v1',
        name: `noise-${i % pods}`,
        namespace: ns,
        uid: uids[i % pods]
      },
      reason: 'Pulled',
      message: 'Container image "busybox" already present on machine',
      type: 'Normal',
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'kubelet' }
    })
  )
}
