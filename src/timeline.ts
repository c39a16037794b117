// What changed between two diagnoses, in words: the timeline that shows a false alarm for what it is
// ("build running … digest pushed … unschedulable … scale-up … scheduled … Ready … rollout complete").
import { shortDigest } from './digest/digest.js'
import type { Diagnosis } from './verdict/types.js'

export function describeChanges(prev: Diagnosis | undefined, next: Diagnosis): string[] {
  const out: string[] = []
  if (next.buildRunning && !prev?.buildRunning) out.push('build running; no digest pushed yet')
  if (next.built && (!prev?.built || prev.built.digest !== next.built.digest)) {
    out.push(
      `built digest ${shortDigest(next.built.digest)}… known (${next.built.source}${next.built.from ? ' ' + next.built.from : ''})`
    )
  }
  const before = new Map((prev?.pods ?? []).map(p => [p.name, p]))
  for (const p of next.pods) {
    const b = before.get(p.name)
    if (!b) out.push(`pod ${p.name} created${p.node ? ` on ${p.node}` : ''}${p.state ? ` (${p.state})` : ''}`)
    else {
      if (!b.node && p.node) out.push(`pod ${p.name} scheduled on ${p.node}`)
      if (b.phase !== p.phase) out.push(`pod ${p.name} ${b.phase} → ${p.phase}`)
      if (b.state !== p.state && p.state) out.push(`pod ${p.name}: ${p.state}`)
      if (b.ready !== p.ready) out.push(`pod ${p.name} ready ${p.ready}`)
      if (p.restarts > b.restarts) out.push(`pod ${p.name} restarted (${p.restarts} restarts)`)
    }
  }
  const seen = new Set((prev?.findings ?? []).map(f => `${f.subject}\u0000${f.message}`))
  for (const f of next.findings) {
    if (seen.has(`${f.subject}\u0000${f.message}`)) continue
    // Within grace a digest mismatch is most often the old pods before the deploy lands: said as such.
    if (f.cause === 'digest-mismatch' && next.finality === 'after-grace')
      out.push(
        `${f.subject} still runs ${shortDigest(f.facts.running)} (not the built image yet; waiting for the new pods)`
      )
    else out.push(`${f.subject}: ${f.message}`)
  }
  if (next.verdict === 'success' && prev?.verdict !== 'success') out.push('rollout complete')
  return out
}
