// The real control plane's builders: the YAML a pipeline applies (containers, Deployments, StatefulSets,
// DaemonSets, Jobs, bare pods, a Kaniko build) and what the world's registry and build pods do. Each story gets
// its own namespaces; the real controllers and scheduler do the rest. Times are story-seconds on the world's clock.
import type { Obj } from '../real/client.js'
import type { ImageBehavior, ScriptStep } from '../real/registry.js'
import type { RealWorld } from '../real/world.js'
import { NEW_DIGEST, OLD_DIGEST, REPO, V1, V2 } from './images.js'
import type { StoryNs } from './story.js'

type Container = {
  name: string
  image: string
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> }
  [k: string]: unknown
}

const PROBE = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 1 }

export function webContainer(image: string, extra: Partial<Container> = {}): Container {
  return {
    name: 'web',
    image,
    ports: [{ containerPort: 8080 }],
    readinessProbe: PROBE,
    resources: { requests: { cpu: '100m', memory: '128Mi' } },
    ...extra
  }
}

export function deployment(
  ns: string,
  name: string,
  containers: Container[],
  opts: { replicas?: number; podSpec?: object; spec?: object } = {}
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers, terminationGracePeriodSeconds: 5, ...opts.podSpec }
      },
      ...opts.spec
    }
  }
}

/** The registry holds 1.4.1 and (unless its build has yet to push it) 1.4.2, under the stand-in's digests. */
export function registryBasics(w: RealWorld, opts: { built?: boolean } = {}): void {
  w.registry.push(V1, OLD_DIGEST)
  if (opts.built !== false) w.registry.push(V2, NEW_DIGEST)
}

/** web 1.4.1 is serving (rolled out and available) in the story's namespace. */
export async function serving(
  w: RealWorld,
  s: StoryNs,
  opts: { replicas?: number; built?: boolean } = {}
): Promise<void> {
  registryBasics(w, opts)
  await w.apply(deployment(s.app, 'web', [webContainer(V1)], { replicas: opts.replicas }))
  await w.rolledOut(s.app, 'web')
}

/** The deploy step: `kubectl set image` (or an apply of the new template). */
export async function deploy(
  w: RealWorld,
  s: StoryNs,
  container: Partial<Container> = {},
  podSpec?: object
): Promise<void> {
  await w.apply(deployment(s.app, 'web', [webContainer(V2, container)], { podSpec }))
}

export const behave = (w: RealWorld, s: StoryNs, image: string, b: ImageBehavior): void =>
  w.registry.set(image, b, s.app)

const KANIKO = 'gcr.io/kaniko-project/executor:v1.23.2'

/** What the Kaniko container in the story's build namespace logs, step by step, and how it ends. */
export function kanikoScript(w: RealWorld, s: StoryNs, steps: ScriptStep[]): void {
  w.registry.set(KANIKO, { program: { kind: 'script', steps } }, s.build)
}

export function buildPodSpec(destination: string): object {
  return {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'kaniko',
        image: KANIKO,
        args: ['--dockerfile=Dockerfile', '--context=dir:///workspace', `--destination=${destination}`]
      }
    ]
  }
}

/** A build Job (Kaniko) in the story's build namespace, pushing `destination`. */
export async function buildJob(w: RealWorld, s: StoryNs, destination: string): Promise<void> {
  await w.apply({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'build-42', namespace: s.build },
    spec: { backoffLimit: 0, template: { spec: buildPodSpec(destination) } }
  })
}

/**
 * A tag of this story's own: the registry is shared by the stories of a file, and a tag another story pushed
 * (1.4.2 is there from the start) would resolve.
 */
export const storyTag = (s: StoryNs): string => `${REPO}:1.5.0-${s.app.split('-').pop()}`

export function statefulSet(
  ns: string,
  image: string,
  opts: { replicas?: number; onDelete?: boolean } = {}
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: ns },
    spec: {
      serviceName: 'db',
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: { app: 'db' } },
      ...(opts.onDelete ? { updateStrategy: { type: 'OnDelete' } } : {}),
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { terminationGracePeriodSeconds: 5, containers: [{ ...webContainer(image), name: 'db' }] }
      }
    }
  }
}

export function daemonSet(ns: string, image: string, memory = '128Mi'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: ns },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            { ...webContainer(image), name: 'agent', resources: { requests: { cpu: '100m', memory } } }
          ]
        }
      }
    }
  }
}

export function job(ns: string, image: string, backoffLimit = 0): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate-42', namespace: ns },
    spec: {
      backoffLimit,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] } }
    }
  }
}

/** A pod as `kubectl run` makes it (no controller). */
export function barePod(ns: string, name: string, image: string, labels: Record<string, string>): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { terminationGracePeriodSeconds: 5, containers: [webContainer(image)] }
  }
}
