// One real control plane and world per test file, and a story runner: namespaces, a least-privilege token,
// the story's setup, then the bundled action exactly as the runner runs it while the story goes on.
import { runAction, type ActionRun } from '../run-action.js'
import {
  kubeconfigFor,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions
} from './controlplane.js'
import type { RealStory, StoryNs } from '../stories/story.js'
import { RealWorld, type WorldOptions } from './world.js'

export interface RealCluster {
  cp: ControlPlane
  world: RealWorld
  stop: () => Promise<void>
}

/** The stories' world: crash-loop back-off from 0.5 story-seconds, and a general pool the autoscaler may grow. */
export const STORY_WORLD: WorldOptions = {
  crashBackoff: 0.5,
  nodeGroups: [
    {
      name: 'general-pool',
      max: 6,
      provisionSeconds: 1,
      template: { cpu: '4', memory: '16Gi', labels: { pool: 'general' } }
    }
  ]
}

export async function realCluster(
  opts: WorldOptions = {},
  cpOpts: Omit<ControlPlaneOptions, 'log'> = {}
): Promise<RealCluster> {
  const cp = await startControlPlane({
    ...cpOpts,
    log: l => process.env.KV_DEBUG && process.stderr.write(`${l}\n`)
  })
  const world = await RealWorld.start(cp, opts).catch(async e => {
    await cp.stop()
    throw e
  })
  return {
    cp,
    world,
    stop: async () => {
      await world.stop()
      await cp.stop()
    }
  }
}

let counter = 0

/** Lower-case DNS label from a story's name, unique in this process. */
export function slug(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
    .replace(/-$/, '')
  return `${base}-${++counter}`
}

export async function kubeconfigForStory(
  c: RealCluster,
  story: Pick<RealStory, 'credentials'>,
  s: StoryNs,
  build: boolean
): Promise<string> {
  const { cp } = c
  if (story.credentials === 'invalid') return kubeconfigFor(cp.url, cp.caPem, 'not-a-valid-token')
  if (story.credentials === 'no-rbac') {
    await cp.namespace(s.build)
    await cp.admin.create(`/api/v1/namespaces/${s.build}/serviceaccounts`, { metadata: { name: 'deployer' } })
    const tr = await cp.admin.create(`/api/v1/namespaces/${s.build}/serviceaccounts/deployer/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 }
    })
    return kubeconfigFor(cp.url, cp.caPem, tr.status.token as string, 'deployer')
  }
  const token = await cp.deployerToken({ namespace: s.app, ...(build ? { buildNamespace: s.build } : {}) })
  return kubeconfigFor(cp.url, cp.caPem, token, 'deployer')
}

export interface StoryRun {
  run: ActionRun
  ns: StoryNs
  thenError?: unknown
  /**
   * Seconds from the story's start (setup done, `then` begun: the clock the story's times are written in) to
   * the verdict, on the world's clock: not the action's own elapsed time, which starts later on a busy machine.
   */
  verdictAt?: number
}

/** Deletes a story's namespaces (the namespace controller and the kubelets free their pods' room). */
export async function cleanup(c: RealCluster, ns: StoryNs): Promise<void> {
  for (const n of [ns.app, ns.build]) await c.cp.admin.delete(`/api/v1/namespaces/${n}`)
}

/** Watches a story from outside (testcluster/timeline's capture); without one, runStory does the same. */
export interface StoryObserver {
  /** The story's namespaces exist; its setup has not begun. */
  begin: (c: RealCluster, ns: StoryNs) => Promise<void>
  /** The action has ended and `then` is done; the namespaces still exist. `storyStart`: epoch ms when setup ended. */
  end: (storyStart: number, run: ActionRun) => Promise<void>
}

export async function runStory(
  c: RealCluster,
  story: RealStory,
  observer?: StoryObserver
): Promise<StoryRun> {
  const id = slug(story.name)
  const ns: StoryNs = { app: id, build: `${id}-ci` }
  await c.cp.namespace(ns.app)
  await c.cp.namespace(ns.build)
  await observer?.begin(c, ns)
  const inputs = story.inputs(ns)
  const kubeconfig = await kubeconfigForStory(c, story, ns, 'build-pod' in inputs)
  await story.setup(c.world, ns)
  let thenError: unknown
  const storyStart = Date.now()
  let stdout = ''
  const action = {
    said: (line: RegExp, ms = 60_000) =>
      c.world.until(`the action to log ${line}`, async () => line.test(stdout), ms).then(() => undefined)
  }
  const then = story.then?.(c.world, ns, action).catch(e => (thenError = e))
  const run = await runAction(
    { ...inputs, timeout: story.timeout, kubeconfig },
    { onStdout: chunk => (stdout += chunk) }
  )
  await then
  await observer?.end(storyStart, run)
  await cleanup(c, ns)
  return {
    run,
    ns,
    thenError,
    ...(run.outputsAt !== undefined ? { verdictAt: (run.outputsAt - storyStart) / 1000 } : {})
  }
}
