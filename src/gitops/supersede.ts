// Whether the deploy tool moved past the revision a step waits for. Only an order the tool itself shows is
// believed: Argo CD's history, Flux's lastAppliedRevision before its lastAttemptedRevision, Helm's revision numbers,
// or the wait having seen the tool at the wanted revision before another. Two commits seen without such an order
// cannot be told apart (a SHA says nothing of which is newer): that is only said, never decided. Pure.
import { revisionMatches, shortRevision, type Revision } from './revision.js'

/** A trail with one more of the tool's revisions, in the order seen (repeats in a row dropped). */
export function extendTrail(trail: readonly string[], revision: string | undefined): string[] {
  if (!revision || trail.at(-1) === revision) return [...trail]
  return [...trail, revision]
}

/** The revision the tool reached after the wanted one, in a sequence ordered oldest first; undefined if none. */
export function movedPast(sequence: readonly (string | undefined)[], want: Revision): string | undefined {
  const known = sequence.filter((r): r is string => Boolean(r))
  const i = known.findIndex(r => revisionMatches(r, want))
  if (i < 0) return undefined
  const last = known.at(-1)!
  return revisionMatches(last, want) ? undefined : last
}

/**
 * What the wait saw when the tool went from one revision to another without the wanted one: said at the deadline,
 * since nothing orders two commits (the other may be older, or newer and include the wanted change).
 */
export function seenWithout(trail: readonly string[], want: Revision): string | undefined {
  if (trail.length < 2 || trail.some(r => revisionMatches(r, want))) return undefined
  const path = trail.map(shortRevision).join(' → ')
  return `went ${path} during the wait and never to ${want.text}; nothing it shows orders these commits, so ${shortRevision(trail.at(-1)!)} may be older, or newer and include it`
}

/** `seenWithout` for a trail and the revision the tool is at now, as a field of the waiting state. */
export function seenNote(
  trail: readonly string[],
  now: string | undefined,
  want: Revision | undefined
): { seen?: string } {
  const text = want ? seenWithout(extendTrail(trail, now), want) : undefined
  return text ? { seen: text } : {}
}
