// The stories the tests, the demo and the benchmarks tell. Times are story-seconds; play() compresses them.
import { recordEvent } from './events.js'
import { Scenario } from './scenario.js'
import { fakeDigest, type World } from './world.js'

export const NS = 'shop'
export const BUILD_NS = 'ci'
export const REPO = 'registry.example.com/shop/web'
export const OLD_DIGEST = fakeDigest('web:1.4.1')
export const NEW_DIGEST = fakeDigest('web:1.4.2')

const ANSI_INFO = '\u001b[36mINFO\u001b[0m'
const ANSI_ERRO = '\u001b[31mERRO\u001b[0m'

/** Kaniko's default (colour) log line: `INFO[0090] Pushed …`. */
export function kaniko(second: number, msg: string, level: 'INFO' | 'ERRO' = 'INFO'): string {
  return `${level === 'INFO' ? ANSI_INFO : ANSI_ERRO}[${String(second).padStart(4, '0')}] ${msg}`
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

export function recordAutoscaler(
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
