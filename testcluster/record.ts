// Records a case's snapshots with the production reader: each step plays on a deterministic world, then the
// SnapshotReader reads it through the test API server. The golden tests replay these JSON fixtures, and
// __tests__/unit/fixtures.test.ts records them again to check that the committed ones are current.
//
// A recording is the same on every run: uids and generated names come from counters (`deterministic`), the
// clock stands still at RECORDED_AT while a step plays and when the snapshot is taken, and the world's random
// container IDs are renamed in order of appearance.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { readSettings } from '../src/inputs.js'
import type { Snapshot } from '../src/kube/snapshot.js'
import { slug, type StandInStory } from './stories/story.js'
import { TestApiServer } from './server.js'
import { withClockAt } from './shared/clock.js'
import { readSnapshot } from './snapshot.js'
import { Store } from './store.js'
import { World } from './world.js'

export interface RecordedStep {
  at: number
  label: string
  snapshot: Snapshot
}

/** The instant every recorded timestamp says: one instant, as when a case's steps all ran within a second. */
export const RECORDED_AT = Date.UTC(2026, 10, 23, 19, 38, 40)

export const FIXTURE_DIR = join('__tests__', 'fixtures', 'snapshots')

/** The command that records the committed fixtures again. */
export const RERECORD =
  'UPDATE_FIXTURES=1 NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/unit/fixtures.test.ts'

/** A case's fixture, relative to the repository. */
export function fixturePath(c: StandInStory): string {
  return join(FIXTURE_DIR, `${slug(c.name)}.json`)
}

/** A recording as its fixture file holds it. */
export function fixtureText(steps: RecordedStep[]): string {
  return JSON.stringify(steps, null, 1) + '\n'
}

export async function record(c: StandInStory): Promise<RecordedStep[]> {
  const store = new Store({ deterministic: true })
  const server = await new TestApiServer({ store }).start()
  const world = new World(store)
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
      withClockAt(RECORDED_AT, () => s.run(world))
      const snapshot = await readSnapshot(server, workload, namespace, build)
      out.push({
        at: s.at,
        label: s.label,
        snapshot: { ...snapshot, takenAt: new Date(RECORDED_AT).toISOString() }
      })
    }
  } finally {
    await server.stop()
  }
  return stableContainerIds(out)
}

/** The world draws container IDs at random (as containerd does); here the n-th one seen is always the same. */
function stableContainerIds(steps: RecordedStep[]): RecordedStep[] {
  const renamed = new Map<string, string>()
  const stable = (id: string): string => {
    const known = renamed.get(id)
    if (known) return known
    const next = `containerd://${createHash('sha256')
      .update(`container-${renamed.size + 1}`)
      .digest('hex')}`
    renamed.set(id, next)
    return next
  }
  const text = JSON.stringify(steps, (k, v: unknown) =>
    k === 'containerID' && typeof v === 'string' ? stable(v) : v
  )
  return JSON.parse(text) as RecordedStep[]
}
