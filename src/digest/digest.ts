// Image digests and the imageID forms container runtimes report.
export type Sha256 = `sha256:${string}`

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/

export function isDigest(s: string): s is Sha256 {
  return DIGEST_RE.test(s)
}

/** An image reference with a digest: `repo@sha256:…`, or a bare digest (repository unknown). */
export interface DigestRef {
  digest: Sha256
  repository?: string
}

export class DigestSyntaxError extends Error {}

/** Parses `sha256:<64 hex>` or `IMAGE@sha256:<64 hex>` (the forms build tools print). */
export function parseDigestRef(text: string): DigestRef {
  const s = text.trim()
  if (/\s/.test(s)) throw new DigestSyntaxError('contains white space; give one digest')
  const at = s.lastIndexOf('@')
  const digest = at >= 0 ? s.slice(at + 1) : s
  const repository = at >= 0 ? s.slice(0, at) : undefined
  if (repository !== undefined && !/^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9])?$/.test(repository)) {
    throw new DigestSyntaxError(`"${repository}" is not an image repository`)
  }
  if (!digest.startsWith('sha256:')) {
    throw new DigestSyntaxError(
      digest.includes(':')
        ? `algorithm "${digest.split(':')[0]}" is not supported; only sha256`
        : 'has no "sha256:" prefix'
    )
  }
  const hex = digest.slice(7).toLowerCase()
  if (!/^[0-9a-f]*$/.test(hex)) throw new DigestSyntaxError('has characters that are not hexadecimal')
  if (hex.length !== 64)
    throw new DigestSyntaxError(`has ${hex.length} hex characters; a sha256 digest has 64`)
  const ref: DigestRef = { digest: `sha256:${hex}` }
  if (repository) ref.repository = repository.replace(/:[^/:]+$/, '')
  return ref
}

/**
 * What a container's imageID says about the image it runs:
 * - `repo@sha256:…` (containerd, CRI-O) or `docker-pullable://repo@sha256:…` (dockershim): the manifest digest,
 *   comparable with what the build pushed (compare digests, not names: registries mirror).
 * - `docker://sha256:…` or bare `sha256:…`: the image config digest, not comparable.
 * - empty: the image is still being pulled.
 */
export type RunningImage =
  | { kind: 'manifest'; digest: Sha256; repository: string }
  | { kind: 'config'; digest: Sha256 }
  | { kind: 'pending' }
  | { kind: 'unknown'; raw: string }

export function parseImageID(imageID: string | undefined): RunningImage {
  const raw = (imageID ?? '').trim()
  if (raw === '') return { kind: 'pending' }
  const noScheme = raw.replace(/^[a-z-]+:\/\//, '')
  const at = noScheme.lastIndexOf('@')
  if (at > 0) {
    const d = noScheme.slice(at + 1).toLowerCase()
    if (isDigest(d)) return { kind: 'manifest', digest: d, repository: noScheme.slice(0, at) }
  }
  const d = noScheme.toLowerCase()
  if (isDigest(d)) return { kind: 'config', digest: d }
  return { kind: 'unknown', raw }
}

/** The repository part of an image reference, without tag or digest: `reg.io/a/b:1.2@sha256:…` → `reg.io/a/b`. */
export function repositoryOf(image: string): string {
  const noDigest = image.replace(/@.*$/, '')
  const slash = noDigest.lastIndexOf('/')
  const colon = noDigest.lastIndexOf(':')
  return colon > slash ? noDigest.slice(0, colon) : noDigest
}

/** An image reference as written (`reg.io/a/b:1.2`, `nginx`, `reg.io/a/b@sha256:…`), not normalized. */
export interface ImageReference {
  repository: string
  tag?: string
  digest?: string
}

/** Parses an image reference; undefined for what cannot be one (a path, a flag, an unexpanded variable). */
export function parseImageReference(image: string): ImageReference | undefined {
  const s = image.trim()
  if (!/^[A-Za-z0-9][\w.\-/:@]*$/.test(s)) return undefined
  const at = s.indexOf('@')
  const digest = at >= 0 ? s.slice(at + 1) : undefined
  const name = at >= 0 ? s.slice(0, at) : s
  const slash = name.lastIndexOf('/')
  const colon = name.lastIndexOf(':')
  const tag = colon > slash ? name.slice(colon + 1) : undefined
  const repository = colon > slash ? name.slice(0, colon) : name
  if (repository === '' || repository.endsWith('/') || tag === '' || digest === '') return undefined
  return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
}

export function shortDigest(d: string): string {
  return d.startsWith('sha256:') ? d.slice(0, 19) : d
}
