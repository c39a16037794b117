// The stand-in's telling of a story: a timeline (at T story-seconds, do this to the world) that play() runs on the
// quick test API server, compressed by a time scale; and the builders the timelines share.
import { recordEvent } from '../events.js'
import type { FaultRule } from '../faults.js'
import { TestApiServer } from '../server.js'
import { World } from '../world.js'
import { NEW_DIGEST, OLD_DIGEST, REPO, kaniko } from './images.js'

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

export function baseWorld(w: World, opts: { replicas?: number; nodes?: number; memory?: string } = {}): void {
  for (let i = 1; i <= (opts.nodes ?? 3); i++) w.node(`node-${i}`, { memory: opts.memory ?? '8Gi' })
  w.deployment({
    name: 'web',
    namespace: NS,
    replicas: opts.replicas ?? 1,
    containers: [{ name: 'web', image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
  })
}

export function startBuild(w: World, name = 'build-42'): void {
  w.buildPod({
    name,
    namespace: BUILD_NS,
    labels: { 'job-name': name, app: 'kaniko' },
    destination: `${REPO}:1.4.2`
  })
  w.buildLog(
    name,
    BUILD_NS,
    kaniko(0, `Retrieving image manifest node:22-alpine`),
    kaniko(0, 'Retrieving image node:22-alpine from registry index.docker.io'),
    kaniko(2, "Building stage 'node:22-alpine' [idx: '0', base-idx: '-1']")
  )
}

export function pushBuild(w: World, name = 'build-42', digest = NEW_DIGEST): void {
  w.buildLog(
    name,
    BUILD_NS,
    kaniko(85, `Pushing image to ${REPO}:1.4.2`),
    kaniko(90, `Pushed ${REPO}@${digest}`)
  )
  w.buildEnds(name, BUILD_NS, 0)
}

export function deployNew(w: World, digest = NEW_DIGEST): void {
  w.rollout(NS, 'web', { web: { image: `${REPO}:1.4.2`, digest } })
}

const newPod = (w: World): string => w.newPods(NS, 'web')[0]!

/**
 * The seeds' story: a platform check at 60 s would call this build failed; it pushes at 90 s, the pod waits for
 * memory until the autoscaler adds a node at 100 s, and serves at 110 s.
 */
export function seedsTimeline(): Scenario {
  return new Scenario('seeds')
    .at(0, 'cluster: 3 nodes; web 1.4.1 serving; build-42 (Kaniko) starts compiling', w => {
      baseWorld(w)
      startBuild(w)
    })
    .at(30, 'build: RUN npm ci && npm run build', w =>
      w.buildLog('build-42', BUILD_NS, kaniko(30, 'RUN npm ci && npm run build'))
    )
    .at(60, 'build: still compiling (a 60 s platform check says "build failed" here)', w =>
      w.buildLog('build-42', BUILD_NS, kaniko(60, 'Taking snapshot of full filesystem...'))
    )
    .at(90, `build: Pushed ${REPO}@${NEW_DIGEST.slice(0, 19)}…`, w => pushBuild(w))
    .at(92, 'deploy: web → 1.4.2; new pod Pending', w => deployNew(w))
    .deploys()
    .at(93, 'scheduler: FailedScheduling 0/3 nodes are available: 3 Insufficient memory', w =>
      w.unschedulable(
        newPod(w),
        NS,
        '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.'
      )
    )
    .at(94, 'autoscaler: TriggeredScaleUp general-pool 3->4', w => scaleUpTriggered(w, newPod(w)))
    .at(100, 'autoscaler: node-4 joins; scheduler binds the pod to node-4', w => {
      w.node('node-4')
      w.schedule(newPod(w), NS, 'node-4')
    })
    .at(105, 'kubelet: image pulled, container started; readiness not yet passing', w =>
      w.start(newPod(w), NS, { ready: false })
    )
    .at(110, 'kubelet: readiness passes; rollout complete', w => w.ready(newPod(w), NS))
    .settles()
}

export function scaleUpTriggered(w: World, pod: string): void {
  recordAutoscaler(
    w,
    pod,
    'Normal',
    'TriggeredScaleUp',
    'pod triggered scale-up: [{general-pool 3->4 (max: 10)}]'
  )
}

function recordAutoscaler(
  w: World,
  pod: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string
): void {
  // cluster-autoscaler records through core/v1 with its own component name.
  recordEvent(w.store, w.pod(pod, NS), { type, reason, message, component: 'cluster-autoscaler' })
}

/** A plain rolling update of `replicas` pods that all come up. */
export function rollingUpdate(replicas = 3): Scenario {
  const s = new Scenario(`rolling-update-${replicas}`)
    .at(0, `web 1.4.1 with ${replicas} replicas; deploy 1.4.2`, w => {
      baseWorld(w, { replicas })
      deployNew(w)
    })
    .deploys()
    .at(1, 'scheduler binds the new pods', w =>
      w.newPods(NS, 'web').forEach((p, i) => w.schedule(p, NS, `node-${(i % 3) + 1}`))
    )
  const pods = (w: World): string[] => w.newPods(NS, 'web')
  s.at(2, 'containers start', w => pods(w).forEach(p => w.start(p, NS, { ready: false })))
  s.at(3, 'readiness passes; rollout complete', w => pods(w).forEach(p => w.ready(p, NS))).settles()
  return s
}

/**
 * The kubelet's liveness probe fails three times (the default failureThreshold) and the kubelet kills the
 * container, in its own words (prober and kuberuntime, v1.36); the process ignores SIGTERM and exits 137.
 */
export function livenessKill(
  w: World,
  pod: string,
  container = 'web',
  failure = 'HTTP probe failed with statuscode: 500'
): void {
  for (let i = 0; i < 3; i++)
    w.kubeletEvent(pod, NS, {
      type: 'Warning',
      reason: 'Unhealthy',
      message: `Liveness probe failed: ${failure}`,
      container
    })
  w.kubeletEvent(pod, NS, {
    type: 'Normal',
    reason: 'Killing',
    message: `Container ${container} failed liveness probe, will be restarted`,
    container
  })
  w.crash(pod, NS, container, {
    exitCode: 137,
    log: ['GET /healthz 500 2ms: database pool exhausted (10/10 connections busy)']
  })
}

/** web 1.4.1 deployed by digest: its manifest pins `image: …/web@sha256:…` of the old build. */
export function pinnedWorld(w: World): void {
  for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
  w.deployment({
    name: 'web',
    namespace: NS,
    containers: [{ name: 'web', image: `${REPO}@${OLD_DIGEST}`, digest: OLD_DIGEST }]
  })
}
