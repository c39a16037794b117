// Records a case's snapshots with the production reader: each step plays on a deterministic world, then the
// SnapshotReader reads it through the test API server. The golden tests replay these JSON fixtures.
import { readSettings } from '../src/inputs.js'
import type { Snapshot } from '../src/kube/snapshot.js'
import type { StandInStory } from './stories/story.js'
import { TestApiServer } from './server.js'
import { readSnapshot } from './snapshot.js'
import { Store } from './store.js'
import { World } from './world.js'

export interface RecordedStep {
  at: number
  label: string
  snapshot: Snapshot
}

export async function record(c: StandInStory): Promise<RecordedStep[]> {
  const store = new Store({ deterministic: true })
  const server = await new TestApiServer({ store }).start()
  const world = new World(store, { deterministic: true })
  const settings = readSettings(n => (n === 'kubeconfig' ? '' : (c.inputs[n] ?? '')))
  const workload = settings.workload
  if (!workload) throw new Error(`${c.name}: recording needs a workload, not a deploy tool`)
  const namespace = settings.namespace ?? 'default'
  const digest = settings.digest
  const build =
    digest?.kind === 'build-pod'
      ? {
          namespace: digest.namespace ?? namespace,
          ...(digest.name ? { name: digest.name } : {}),
          ...(digest.selector ? { selector: digest.selector } : {})
        }
      : undefined
  const out: RecordedStep[] = []
  try {
    for (const s of [...c.scenario().steps].sort((a, b) => a.at - b.at)) {
      s.run(world)
      const snapshot = await readSnapshot(server, workload, namespace, build)
      out.push({ at: s.at, label: s.label, snapshot })
    }
  } finally {
    await server.stop()
  }
  return out
}
