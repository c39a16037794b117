// The soak's stories on the real control plane: what happens after Ready. The world plays the machines (a server
// that fails 20 s after it became Ready) and the HPA's decision (it writes the Deployment's scale subresource, as
// the HPA controller does; no metrics server runs here), and a registry whose tag is pushed again meanwhile.
import { digestOf } from '../real/registry.js'
import type { RealWorld } from '../real/world.js'
import { NEW_DIGEST, REPO, V2 } from './images.js'
import { deploy, deployment, serving, webContainer } from './real.js'
import type { Story, StoryNs } from './story.js'

/** What the tag resolves to once someone pushed it again. */
export const MOVED_DIGEST = digestOf('web:1.6.0 pushed again')

/** A tag of this story's own: the registry is shared by the stories of a file. */
const tagOf = (s: StoryNs): string => `${REPO}:1.6.0-${s.app.split('-').pop()}`

const soakInputs = (s: StoryNs, soak?: string): Record<string, string> => ({
  workload: 'deployment/web',
  namespace: s.app,
  'expected-digest': `${REPO}@${NEW_DIGEST}`,
  ...(soak ? { soak } : {})
})

/** The server of 1.4.2 is Ready after 1 s and fails 20 s after that (a pool that runs dry under traffic). */
async function crashesAfterReady(w: RealWorld, s: StoryNs): Promise<void> {
  await serving(w, s)
  w.registry.set(
    V2,
    {
      program: {
        kind: 'serve',
        readyAfter: 1,
        crashAfter: {
          seconds: 20,
          code: 1,
          log: ['FATAL: connection pool exhausted: 20 of 20 connections in use (timeout 5000ms)']
        }
      }
    },
    s.app
  )
  await deploy(w, s)
}

/** web on this story's tag (pushed as the built digest), `replicas` of it. */
async function onTag(w: RealWorld, s: StoryNs, replicas: number): Promise<void> {
  w.registry.push(tagOf(s), NEW_DIGEST)
  await w.apply(deployment(s.app, 'web', [webContainer(tagOf(s))], { replicas }))
}

/** What the HPA controller writes: the Deployment's scale subresource. */
async function scaleTo(w: RealWorld, s: StoryNs, replicas: number): Promise<void> {
  await w.api.patch(`/apis/apps/v1/namespaces/${s.app}/deployments/web/scale`, { spec: { replicas } })
}

const SOAKING = /soak: watching the new pods for/

export const SOAK: Story[] = [
  {
    name: 'crash-loop: with soak 60s, the new pod crashes 20 s after Ready',
    expect: 'crash-loop',
    inputs: s => soakInputs(s, '60s'),
    real: {
      timeout: '90s',
      reason:
        /^deployment\/web rolled out, then failed its 60s soak \d+(\.\d)?s after Ready: pod\/web-\S+ container web (exited|restarted); last exit: Error \(exit 1\)$/,
      setup: crashesAfterReady
    }
  },
  {
    name: 'success: without soak, the same pod is a success at Ready (it crashes after the verdict)',
    expect: 'success',
    early: true,
    inputs: s => soakInputs(s),
    real: {
      timeout: '90s',
      reason: /^deployment\/web rolled out: 1\/1 new pods Ready, all running the built sha256:\w{12}$/,
      setup: crashesAfterReady
    }
  },
  {
    name: 'unhealthy: with soak 30s, the new pod loses readiness 5 s after Ready and does not get it back',
    expect: 'unhealthy',
    inputs: s => soakInputs(s, '30s'),
    real: {
      timeout: '60s',
      reason:
        /failed its 30s soak \d+(\.\d)?s after Ready: pod\/web-\S+ lost readiness \d+(\.\d)?s after Ready and stayed not Ready for \d+(\.\d)?s, longer than its readiness probe period \(1s\)$/,
      setup: async (w, s) => {
        await serving(w, s)
        w.registry.set(
          V2,
          {
            program: {
              kind: 'serve',
              readyAfter: 1,
              unreadyAfter: { seconds: 5, probe: 'HTTP probe failed with statuscode: 503' }
            }
          },
          s.app
        )
        await deploy(w, s)
      }
    }
  },
  {
    name: 'stale: during the soak a scale-up adds a pod whose tag now resolves to another digest',
    expect: 'stale',
    inputs: s => soakInputs(s, '30s'),
    real: {
      timeout: '60s',
      reason:
        /failed its 30s soak \d+(\.\d)?s after Ready: pod\/web-\S+ joined \d+(\.\d)?s after Ready \(a scale-up or a replacement\) and runs sha256:\w{12} in web, not the built sha256:\w{12}: the image reference resolves to another digest now/,
      setup: (w, s) => onTag(w, s, 2),
      then: async (w, s, action) => {
        await action!.said(SOAKING)
        // Someone pushes the tag again; then the HPA adds a pod, which pulls what the tag means now.
        w.registry.push(tagOf(s), MOVED_DIGEST)
        await scaleTo(w, s, 3)
      }
    }
  },
  {
    // 30 s: room for the new pods to be Ready on a busy machine before the soak ends.
    name: 'success: a 30s soak holds while a scale-up adds 2 pods on the built digest',
    expect: 'success',
    inputs: s => soakInputs(s, '30s'),
    real: {
      timeout: '60s',
      reason: /; held 30s: 0 restarts, 2 → 4 pods, all on the built sha256:\w{12}$/,
      setup: (w, s) => onTag(w, s, 2),
      then: async (w, s, action) => {
        await action!.said(SOAKING)
        await scaleTo(w, s, 4)
      }
    }
  }
]
