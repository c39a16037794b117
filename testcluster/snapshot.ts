// Snapshots for the pure tests, read by the production reader (SnapshotReader) from the test cluster's world
// over loopback HTTPS: the decision tests run the same pod selection as the action.
import { loadKubeconfig } from '../src/kube/config.js'
import { KubeApi } from '../src/kube/api.js'
import { SnapshotReader } from '../src/kinds/reader.js'
import type { Snapshot } from '../src/kube/snapshot.js'
import type { WorkloadRef } from '../src/inputs.js'
import { kubeconfigYaml } from './kubeconfig.js'
import { NS } from './stories/stand-in.js'
import { TestApiServer } from './server.js'
import { Store } from './store.js'
import { World } from './world.js'

export function newWorld(): World {
  return new World(new Store())
}

/** Reads the workload once, with every piece of evidence, as the action's last read before a verdict does. */
export async function readSnapshot(
  server: TestApiServer,
  workload: WorkloadRef,
  namespace: string,
  build?: { namespace: string; name?: string; selector?: string }
): Promise<Snapshot> {
  return readSnapshotWith(kubeconfigYaml(server), workload, namespace, build)
}

/** The same through any cluster's kubeconfig (the real control plane's, in the bench). */
export async function readSnapshotWith(
  kubeconfig: string,
  workload: WorkloadRef,
  namespace: string,
  build?: { namespace: string; name?: string; selector?: string },
  requestTimeoutMs = 5_000
): Promise<Snapshot> {
  const loaded = loadKubeconfig({ kind: 'inline', content: kubeconfig }, undefined, {}, () => undefined)
  const api = new KubeApi(loaded.kc, { requestTimeoutMs })
  const reader = new SnapshotReader(api, { ...workload, namespace, ...(build ? { build } : {}) })
  try {
    return await reader.read({ thorough: true })
  } finally {
    reader.stop()
  }
}

/** The snapshot of a world's workload (a Deployment by default), read through a test API server. */
export async function snapshotOf(
  w: World,
  name = 'web',
  build?: { name: string; namespace: string },
  workload: WorkloadRef = { kind: 'Deployment', name }
): Promise<Snapshot> {
  const server = await new TestApiServer({ store: w.store }).start()
  try {
    return await readSnapshot(server, { ...workload, name } as WorkloadRef, NS, build)
  } finally {
    await server.stop()
  }
}
