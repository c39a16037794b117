// The revision a deploy step pushed or synced, and whether a tool's revision string names it. Tools write
// revisions their own ways: Argo CD a full SHA, Flux `main@sha1:<sha>` (before v2.1: `main/<sha>`), OCI sources
// `latest@sha256:<digest>`. Pure.

export interface Revision {
  /** As the user wrote it. */
  text: string
  /** Lowercase hex, 7 to 64 characters: the commit (or artifact digest) it names. */
  sha: string
  /** The branch or tag before `@` (Flux's form), when given. */
  ref?: string
}

export class RevisionSyntaxError extends Error {}

const HEX = /^[0-9a-f]{7,64}$/

/** `9a8b7c6`, a full SHA, or Flux's `main@sha1:<sha>` / `main/<sha>`. */
export function parseRevision(text: string): Revision {
  const t = text.trim()
  const m = /^(?:(.+?)(?:@|\/))?(?:sha1:|sha256:)?([0-9a-fA-F]+)$/.exec(t)
  if (!m || !HEX.test(m[2]!.toLowerCase()))
    throw new RevisionSyntaxError(
      'is not a commit: write its SHA (7 to 40 hex digits) or Flux’s branch@sha1:<sha> form'
    )
  return { text: t, sha: m[2]!.toLowerCase(), ...(m[1] ? { ref: m[1] } : {}) }
}

/** The hex part of a tool's revision string (`main@sha1:abc…` → `abc…`); undefined when it has none. */
export function shaOf(applied: string | undefined): string | undefined {
  if (!applied) return undefined
  const m = /(?:^|[@/:])([0-9a-fA-F]{7,64})$/.exec(applied.trim())
  return m ? m[1]!.toLowerCase() : undefined
}

/** Whether a tool's revision string is the wanted one: same commit (a short SHA is a prefix), same branch if both say. */
export function revisionMatches(applied: string | undefined, want: Revision): boolean {
  const sha = shaOf(applied)
  if (!sha) return false
  const same = sha.length >= want.sha.length ? sha.startsWith(want.sha) : want.sha.startsWith(sha)
  if (!same) return false
  const ref = /^(.+?)(?:@|\/)(?:sha1:|sha256:)?[0-9a-fA-F]+$/.exec(applied!.trim())?.[1]
  return !(want.ref && ref && ref !== want.ref)
}

/** A revision as the summary shows it: `9a8b7c6` for commits, the tool's text otherwise. */
export function shortRevision(applied: string): string {
  const sha = shaOf(applied)
  return sha && sha.length >= 7 ? sha.slice(0, 7) : applied
}
