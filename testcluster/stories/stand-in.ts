// The stand-in's telling of a story: a timeline (at T story-seconds, write this into the world) that play() runs on
// the quick test API server, compressed by a time scale. Its steps are a recording's writes (timeline/replay.ts),
// and what a test stages on top of them.
import type { FaultRule } from '../faults.js'
import { TestApiServer } from '../server.js'
import { World } from '../world.js'

/** The stand-in's namespaces: the workload's and the build pod's. */
export const NS = 'shop'
export const BUILD_NS = 'ci'

export interface Step {
  at: number
  label: string
  run: (w: World) => void
}

export class Scenario {
  readonly steps: Step[] = []
  readonly faults: FaultRule[] = []
  /** The story-second at which the rollout is complete, if it ever is (for latency measurements). */
  settlesAt?: number
  /** The story-second of the deploy step (where `kubectl rollout status` can start). */
  deploysAt?: number

  constructor(readonly name: string) {}

  at(seconds: number, label: string, run: (w: World) => void): this {
    this.steps.push({ at: seconds, label, run })
    return this
  }

  /** Marks the last added step as the one that completes the rollout. */
  settles(): this {
    this.settlesAt = this.steps[this.steps.length - 1]?.at
    return this
  }

  /** Marks the last added step as the deploy. */
  deploys(): this {
    this.deploysAt = this.steps[this.steps.length - 1]?.at
    return this
  }

  withFaults(...rules: FaultRule[]): this {
    this.faults.push(...rules)
    return this
  }

  get duration(): number {
    return Math.max(0, ...this.steps.map(s => s.at))
  }
}

export interface Playback {
  server: TestApiServer
  world: World
  /** Resolves when every step ran. */
  done: Promise<void>
  /** Wall-clock ms when the settling step ran. */
  settledAtMs?: number
  /** Resolves when the deploy step has run. */
  deployed: Promise<void>
  log: { atMs: number; label: string }[]
  stop: () => Promise<void>
}

/** Starts a test cluster and plays the scenario on it; steps at t=0 run before this resolves. */
export async function play(
  scenario: Scenario,
  opts: { scale?: number; seed?: number; server?: TestApiServer; quiet?: boolean } = {}
): Promise<Playback> {
  const scale = opts.scale ?? 1
  const server = opts.server ?? (await new TestApiServer({ seed: opts.seed }).start())
  server.faults.add(...scenario.faults)
  const world = new World(server.store)
  const startedAt = Date.now()
  let markDeployed: () => void = () => undefined
  const deployed = new Promise<void>(r => (markDeployed = r))
  const pb: Playback = { server, world, done: Promise.resolve(), deployed, log: [], stop: async () => {} }
  const timers: NodeJS.Timeout[] = []
  const runStep = (s: Step): void => {
    s.run(world)
    pb.log.push({ atMs: Date.now() - startedAt, label: s.label })
    if (scenario.settlesAt === s.at && pb.settledAtMs === undefined) pb.settledAtMs = Date.now()
    if (scenario.deploysAt === s.at) markDeployed()
    if (!opts.quiet)
      process.stderr.write(`  [cluster ${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${s.label}\n`)
  }
  const sorted = [...scenario.steps].sort((a, b) => a.at - b.at)
  if (scenario.deploysAt === undefined) markDeployed()
  for (const s of sorted.filter(s => s.at === 0)) runStep(s)
  const later = sorted.filter(s => s.at > 0)
  pb.done = new Promise<void>(resolve => {
    if (later.length === 0) return resolve()
    let left = later.length
    for (const s of later) {
      timers.push(
        setTimeout(
          () => {
            runStep(s)
            if (--left === 0) resolve()
          },
          s.at * 1000 * scale
        )
      )
    }
  })
  pb.stop = async () => {
    timers.forEach(t => clearTimeout(t))
    if (!opts.server) await server.stop()
  }
  return pb
}
