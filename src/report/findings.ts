// Findings as the reports count them: one per workload and cause, ranked by verdict (the table's rank), then by
// how many pods each covers. The annotations show the first ones; the job summary holds every one.
import { nameOf } from '../kinds/registry.js'
import { SEVERITY_RANK, VERDICT } from '../verdict/table.js'
import type { Finding } from '../verdict/types.js'

export interface FindingGroup {
  /** The most telling finding of the group: the first as decided, the one reporters name. */
  first: Finding
  findings: Finding[]
  /** How many pods the group covers (a finding about `new pods` counts the pods it names). */
  pods: number
  /** `deployment/web` (with its namespace when the finding carries one, and its cluster with several). */
  workload: string
}

function workloadOf(f: Finding): string {
  const ns = (f.workload as { namespace?: string }).namespace
  const name = ns ? `${nameOf(f.workload)} -n ${ns}` : nameOf(f.workload)
  return f.cluster !== undefined ? `${name} on ${f.cluster}` : name
}

/** Pods one finding covers: the husks or old pods it counts, else its own pod. */
export function podsOf(f: Finding): string[] {
  if (f.cause === 'on-delete') return f.facts.pods
  if (f.cause === 'replaced') return Array.from({ length: f.facts.pods }, (_, i) => `${f.subject}#${i}`)
  return [f.subject]
}

/** One group per workload and cause, worst first: severity, the verdict's rank, then the pods it covers. */
export function groupFindings(findings: Finding[]): FindingGroup[] {
  const groups = new Map<string, { group: FindingGroup; pods: Set<string>; order: number }>()
  for (const f of findings) {
    const workload = workloadOf(f)
    const key = `${workload}\u0000${f.cause}`
    const g = groups.get(key)
    if (g) {
      g.group.findings.push(f)
      for (const p of podsOf(f)) g.pods.add(p)
      // The most severe finding of the group speaks for it.
      if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[g.group.first.severity]) g.group.first = f
    } else
      groups.set(key, {
        group: { first: f, findings: [f], pods: 0, workload },
        pods: new Set(podsOf(f)),
        order: groups.size
      })
  }
  return [...groups.values()]
    .map(g => ({ ...g, group: { ...g.group, pods: g.pods.size } }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.group.first.severity] - SEVERITY_RANK[b.group.first.severity] ||
        VERDICT[a.group.first.verdict].rank - VERDICT[b.group.first.verdict].rank ||
        b.group.pods - a.group.pods ||
        a.order - b.order
    )
    .map(g => g.group)
}
