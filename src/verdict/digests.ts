// Which digest was built, which container to compare, and what each new pod runs.
import { parseImageID, repositoryOf, type DigestRef } from '../digest/digest.js'
import type { Container, Pod } from '../kube/types.js'
import type { BuiltDigest, RunningDigest } from './types.js'

/** Docker Hub's implicit names: `nginx` is `docker.io/library/nginx`. */
export function normalizeRepository(repo: string): string {
  let r = repo.toLowerCase()
  const first = r.split('/')[0]!
  if (!r.includes('/') || (!first.includes('.') && !first.includes(':') && first !== 'localhost'))
    r = `docker.io/${r.includes('/') ? r : 'library/' + r}`
  return r.replace(/^index\.docker\.io\//, 'docker.io/')
}

/** Of several pushed refs, the one for the workload's image repository, else the last. */
export function pickBuilt(
  refs: DigestRef[],
  containers: Container[],
  container?: string
): DigestRef | undefined {
  const images = containers
    .filter(c => !container || c.name === container)
    .map(c => normalizeRepository(repositoryOf(c.image ?? '')))
  return (
    refs.find(r => r.repository && images.includes(normalizeRepository(r.repository))) ??
    refs[refs.length - 1]
  )
}

/**
 * The container whose imageID is compared: the one named, else the one whose image repository is the built
 * one, else the only one. Injected sidecars are not in the workload's template, so they never decide.
 */
export function pickContainer(
  containers: Container[],
  built: BuiltDigest | undefined,
  named?: string
): { name?: string; why: string } {
  if (named) {
    return containers.some(c => c.name === named)
      ? { name: named, why: 'named by the container input' }
      : {
          why: `the workload has no container "${named}" (it has: ${containers.map(c => c.name).join(', ')})`
        }
  }
  if (built?.repository) {
    const want = normalizeRepository(built.repository)
    const hit = containers.find(c => normalizeRepository(repositoryOf(c.image ?? '')) === want)
    if (hit) return { name: hit.name, why: `its image is ${built.repository}` }
  }
  if (containers.length === 1) return { name: containers[0]!.name, why: 'the only container' }
  if (containers.length === 0) return { why: 'the workload defines no pod template' }
  return {
    why: `the workload has ${containers.length} containers and none runs ${built?.repository ?? 'a known repository'}; set the container input`
  }
}

export function compareDigests(
  pods: Pod[],
  container: string | undefined,
  built: BuiltDigest | undefined
): RunningDigest[] {
  if (!container) return []
  return pods.map(p => {
    const cs = (p.status?.containerStatuses ?? []).find(c => c.name === container)
    const imageID = cs?.imageID ?? ''
    const running = parseImageID(imageID)
    const base = { pod: p.metadata.name, container, imageID }
    switch (running.kind) {
      case 'pending':
        return { ...base, match: 'pending' }
      case 'config':
      case 'unknown':
        return { ...base, match: 'unverifiable' }
      case 'manifest':
        return {
          ...base,
          digest: running.digest,
          match: !built ? 'unverifiable' : running.digest === built.digest ? 'match' : 'mismatch'
        }
    }
  })
}
