// What the world's machines know about images: the registry (a tag resolves to a digest; a tag may be
// missing or need credentials) and what a container of that image does once started. Stories set these; the
// simulated kubelet reads them. Times are story-seconds, scaled by the world's clock.
import { createHash } from 'node:crypto'

export type Digest = `sha256:${string}`

/** A stable digest for an image nobody pushed explicitly. */
export function digestOf(seed: string): Digest {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`
}

export type Program =
  /**
   * A server: readiness passes after `readyAfter` s, or never (the probe keeps failing with `probe`). With
   * `crashAfter`, it ends `seconds` after it became Ready (a leak to OOMKilled, a dependency that fails later);
   * with `unreadyAfter`, it keeps running but its readiness probe fails from then on; with `livenessFails`, the
   * kubelet kills it for its liveness probe.
   */
  | {
      kind: 'serve'
      readyAfter?: number
      neverReady?: { probe: string }
      log?: string[]
      crashAfter?: { seconds: number; code: number; reason?: 'Error' | 'OOMKilled'; log?: string[] }
      /** Readiness fails from `seconds` after it became Ready on (a dependency gone), with the probe's words. */
      unreadyAfter?: { seconds: number; probe: string }
      /**
       * Its health endpoint fails from the start with the probe's words (`HTTP probe failed with statuscode: 500`):
       * readiness never passes, and the kubelet kills it at its livenessProbe's failureThreshold.
       */
      livenessFails?: { probe: string }
    }
  /** A process that ends: a crash (Error, OOMKilled) or a Job's work done (exit 0). */
  | {
      kind: 'exit'
      code: number
      after: number
      reason?: 'Error' | 'OOMKilled' | 'Completed'
      log?: string[]
    }
  /** Log lines over time, then an exit: a Kaniko or BuildKit build. `push` publishes a tag at that step. */
  | { kind: 'script'; steps: ScriptStep[] }

export interface ScriptStep {
  at: number
  log?: string[]
  push?: { image: string; digest: Digest }
  exit?: number
}

export type PullOutcome = 'ok' | 'not-found' | 'unauthorized'

export interface ImageBehavior {
  pull?: PullOutcome
  /** With `pull: 'not-found'`: the tag resolves only once it is pushed after this moment (epoch ms), by a build. */
  pushedAfter?: number
  /** How long the pull takes. */
  pullSeconds?: number
  program?: Program
  /**
   * The node evicts pods of this image for memory pressure `after` s into their run, the first `times` pods
   * (counted in `evicted`): the kubelet's node-pressure eviction.
   */
  evict?: { after: number; times: number; evicted?: number }
}

/** `repo:tag` or `repo@digest` → repo, as the runtime reports it in imageID. */
export function repoOf(image: string): string {
  return image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^/:]+$/, '')
}

/** The reference grammar's lower-case rule, the commonest InvalidImageName. */
export function invalidReference(image: string): string | undefined {
  const repo = repoOf(image)
  if (repo !== repo.toLowerCase()) return 'invalid reference format: repository name must be lowercase'
  if (/\s/.test(image) || image.endsWith(':')) return 'invalid reference format'
  return undefined
}

export class Registry {
  private tags = new Map<string, Digest>()
  private pushedAt = new Map<string, number>()
  private behaviors = new Map<string, ImageBehavior>()

  /** A tag now resolves to this digest (a push). */
  push(image: string, digest: Digest = digestOf(image)): Digest {
    this.tags.set(image, digest)
    this.pushedAt.set(image, Date.now())
    return digest
  }

  /** The digest a pull of `image` resolves to, or undefined when the registry lacks it. */
  resolve(image: string, namespace: string): Digest | undefined {
    const at = /@(sha256:[0-9a-f]{64})$/.exec(image)
    if (at) return at[1] as Digest
    const b = this.behavior(image, namespace)
    // A registry that refuses the credentials refuses them whether the tag exists or not.
    if (b.pull === 'unauthorized') return undefined
    if (b.pull === 'not-found')
      return b.pushedAfter !== undefined && (this.pushedAt.get(image) ?? 0) <= b.pushedAfter
        ? undefined
        : this.tags.get(image)
    return this.tags.get(image) ?? digestOf(image)
  }

  /** Sets what pulling and running `image` does, for pods in `namespace` (or everywhere with `*`). */
  set(image: string, b: ImageBehavior, namespace = '*'): void {
    this.behaviors.set(`${namespace}\u0000${image}`, b)
  }

  /** Forgets every push and behaviour: a world reused by the next story starts from an empty registry. */
  clear(): void {
    this.tags.clear()
    this.pushedAt.clear()
    this.behaviors.clear()
  }

  behavior(image: string, namespace: string): ImageBehavior {
    return this.behaviors.get(`${namespace}\u0000${image}`) ?? this.behaviors.get(`*\u0000${image}`) ?? {}
  }
}
