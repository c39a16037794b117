// Random fault plans for the fault suites (stand-in and real path): 1-3 faults from a menu, seeded.
import type { FaultRule } from './faults.js'

export interface FaultPlan {
  rules: FaultRule[]
  /** Story-seconds at which etcd is compacted (watches from older revisions then get 410 Gone). */
  compactAt: number[]
  names: string[]
}

export function faultsFor(random: () => number, deadlineS: number): FaultPlan {
  const menu: { name: string; make: () => FaultRule | 'compact' }[] = [
    {
      name: '5xx burst',
      make: () => ({
        kind: 'status',
        status: ([500, 502, 503, 504] as const)[Math.floor(random() * 4)]!,
        probability: 0.5,
        from: random() * 2,
        until: 3
      })
    },
    {
      name: '429 Retry-After',
      make: () => ({ kind: 'throttle', retryAfter: 1, times: 1 + Math.floor(random() * 3) })
    },
    { name: 'resets', make: () => ({ kind: 'reset', probability: 0.25 }) },
    { name: 'hung request', make: () => ({ kind: 'hang', times: 1 }) },
    {
      name: 'dropped watches',
      make: () => ({ kind: 'drop-watch', afterMs: 200 + Math.floor(random() * 600) })
    },
    { name: '410 compaction', make: () => 'compact' },
    {
      name: 'API away',
      make: () => ({
        kind: 'status',
        status: 503,
        outage: true,
        from: deadlineS * 0.2,
        until: deadlineS * 0.4
      })
    }
  ]
  const rules: FaultRule[] = []
  const compactAt: number[] = []
  const names: string[] = []
  const n = 1 + Math.floor(random() * 3)
  const pool = [...menu]
  for (let i = 0; i < n; i++) {
    const f = pool.splice(Math.floor(random() * pool.length), 1)[0]!
    const made = f.make()
    names.push(f.name)
    if (made === 'compact') compactAt.push(0.3 + random() * 2)
    else rules.push(made)
  }
  return { rules, compactAt, names }
}

/**
 * Seconds a plan may keep the API from answering: the outage window, a request limit per hang, a few retries for
 * resets, 5xx and Retry-After. A run whose verdict comes at its deadline gets this much more deadline, so that
 * on a busy machine "no read got through" (`unreachable`, the true answer for a too-short wait) cannot replace
 * the verdict the faults are meant to leave alone.
 */
export function roomFor(plan: FaultPlan): number {
  let s = 0
  for (const r of plan.rules) {
    if (r.outage) s += (r.until ?? 0) - (r.from ?? 0)
    else if (r.kind === 'hang') s += 4 * (r.times ?? 1)
    else if (r.kind === 'throttle') s += r.retryAfter * (r.times ?? 1)
    else s += 2
  }
  return Math.ceil(s)
}
