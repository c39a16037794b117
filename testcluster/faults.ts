// Fault injection: which requests fail, and how. Seeded so that every run is repeatable.
export type FaultKind =
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'throttle'; retryAfter: number } // 429 with Retry-After, as API Priority and Fairness writes it
  | { kind: 'reset' } // the connection is destroyed before any response
  | { kind: 'hang' } // the request never gets an answer
  | { kind: 'drop-watch'; afterMs: number } // a watch that closes after a while without a word

export type Verb = 'get' | 'list' | 'watch' | 'log' | 'discovery'

export type FaultRule = FaultKind & {
  verb?: Verb
  resource?: string
  /** How many matching requests it hits (default: all). */
  times?: number
  /** Chance that it hits a matching request (default 1). */
  probability?: number
  /** Active window, seconds since the cluster started. */
  from?: number
  until?: number
  /** The API server goes away for the window: open connections (watches) are cut when it starts. */
  outage?: boolean
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Faults {
  private rules: (FaultRule & { hits: number })[] = []
  private random: () => number
  injected = 0

  constructor(seed = 1) {
    this.random = mulberry32(seed)
  }

  add(...rules: FaultRule[]): void {
    for (const r of rules) this.rules.push({ ...r, hits: 0 })
  }

  /** Whether an outage window covers this moment. */
  inOutage(elapsedS: number): boolean {
    return this.rules.some(r => r.outage && (r.from ?? 0) <= elapsedS && elapsedS < (r.until ?? Infinity))
  }

  clear(): void {
    this.rules = []
  }

  pick(verb: Verb, resource: string, elapsedS: number): FaultKind | undefined {
    for (const r of this.rules) {
      if (r.verb && r.verb !== verb) continue
      if (r.resource && r.resource !== resource) continue
      if (r.from !== undefined && elapsedS < r.from) continue
      if (r.until !== undefined && elapsedS >= r.until) continue
      if (r.times !== undefined && r.hits >= r.times) continue
      if (r.probability !== undefined && this.random() >= r.probability) continue
      r.hits++
      this.injected++
      return r
    }
    return undefined
  }
}
