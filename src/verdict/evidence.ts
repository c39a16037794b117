// The decision's evidence about images: the built digest (from the inputs, a digest file or the build pod's log,
// or the build failed) and the digest each new pod runs in the compared container.
import type { DigestSource } from '../digest/sources.js'
import type { Snapshot } from '../kube/snapshot.js'
import type { Container, Pod } from '../kube/types.js'
import { buildState, buildTarget, type BuildTarget } from './build.js'
import { compareDigests, pickBuilt, pickContainer } from './digests.js'
import type { BuiltDigest, Observed, RunningDigest } from './types.js'

export interface DecideOptions {
  digest?: DigestSource
  container?: string
}

/**
 * The built digest: from the inputs, or from the build pod's log; or the build failed. `target`: what the build
 * pod will push (or pushed), to tell the pull failures it causes from the workload's own.
 */
export type Build =
  | { built?: BuiltDigest; running: boolean; waiting?: string; target?: BuildTarget }
  | { failed: Observed; reason: string }

export function builtDigest(snap: Snapshot, opts: DecideOptions, containers: Container[]): Build {
  const src = opts.digest
  if (src?.kind === 'input' || src?.kind === 'file') {
    const ref = pickBuilt(src.refs, containers, opts.container)!
    return {
      running: false,
      built: builtFrom(
        ref,
        src.kind === 'input' ? 'expected-digest' : 'digest-file',
        src.kind === 'file' ? src.path : undefined
      )
    }
  }
  if (src?.kind !== 'build-pod' || !snap.build) return { running: false }
  const b = buildState(snap.build)
  const pod = `${snap.build.namespace}/${snap.build.pod?.metadata.name}`
  const t = buildTarget(snap.build, b)
  const target = t ? { target: t } : {}
  switch (b.state) {
    case 'absent':
      return {
        running: false,
        waiting: `the build pod (${snap.build.ref} in ${snap.build.namespace}) to appear`,
        ...target
      }
    case 'running':
      return {
        running: true,
        waiting: `the build pod ${snap.build.pod?.metadata.name} to push its image`,
        ...target
      }
    case 'failed':
      return { failed: b.finding, reason: b.finding.message.replace(/^the build/, `build pod ${pod}`) }
    case 'pushed': {
      const ref = pickBuilt(b.pushed, containers, opts.container)!
      return { running: false, built: builtFrom(ref, 'build-pod', b.pod), ...target }
    }
  }
}

function builtFrom(
  ref: { digest: string; repository?: string },
  source: BuiltDigest['source'],
  from: string | undefined
): BuiltDigest {
  return {
    digest: ref.digest,
    ...(ref.repository ? { repository: ref.repository } : {}),
    source,
    ...(from !== undefined ? { from } : {})
  }
}

export interface Images {
  container: { name?: string; why: string }
  running: RunningDigest[]
  /** The built digest of each container, with container=digest pairs. */
  pairs?: Record<string, { digest: string }>
}

export function images(
  pods: Pod[],
  containers: Container[],
  built: BuiltDigest | undefined,
  opts: DecideOptions
): Images {
  const pairs = opts.digest?.kind === 'input' ? opts.digest.containers : undefined
  if (!pairs) {
    const container = pickContainer(containers, built, opts.container)
    return { container, running: compareDigests(pods, container.name, built) }
  }
  // With container=digest pairs each named container is compared with its own built digest.
  return {
    container: { name: Object.keys(pairs)[0], why: 'named by container=digest pairs' },
    running: Object.entries(pairs).flatMap(([name, ref]) =>
      compareDigests(pods, name, { digest: ref.digest, source: 'expected-digest' })
    ),
    pairs
  }
}
