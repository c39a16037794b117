// The report object: everything the summary shows, as JSON (the `report` output and the CLI's --json).
import type { Outcome } from '../wait.js'
import type { BuiltDigest, Finding, Replicas, RunningDigest, VerdictName } from '../verdict/types.js'

export interface Report {
  verdict: VerdictName
  reason: string
  workload: string
  namespace: string
  elapsedSeconds: number
  built?: BuiltDigest
  running: RunningDigest[]
  replicas?: Replicas
  findings: Finding[]
  unreadable: string[]
  history: Outcome['history']
  apiErrors: number
  reads: number
}

export function buildReport(o: Outcome, workload: string, namespace: string): Report {
  const d = o.diagnosis
  return {
    verdict: o.verdict,
    reason: o.reason,
    workload,
    namespace,
    elapsedSeconds: Math.round(o.elapsedMs / 100) / 10,
    ...(d?.built ? { built: d.built } : {}),
    running: d?.running ?? [],
    ...(d ? { replicas: d.replicas } : {}),
    findings: d?.findings ?? [],
    unreadable: d?.unreadable ?? [],
    history: o.history,
    apiErrors: o.apiErrors,
    reads: o.reads
  }
}

/** A report for a run that never reached the cluster (bad input). */
export function inputReport(reason: string, workload: string, namespace: string): Report {
  return {
    verdict: 'invalid-input',
    reason,
    workload,
    namespace,
    elapsedSeconds: 0,
    running: [],
    findings: [],
    unreadable: [],
    history: [],
    apiErrors: 0,
    reads: 0
  }
}

/** The step's outputs, all strings, set on every path. */
export function outputsOf(r: Report): Record<string, string> {
  return {
    verdict: r.verdict,
    reason: r.reason,
    'built-digest': r.built?.digest ?? '',
    'running-digests': JSON.stringify([
      ...new Set(r.running.map(x => x.digest).filter((x): x is string => Boolean(x)))
    ]),
    'ready-replicas': String(r.replicas?.ready ?? 0),
    'desired-replicas': String(r.replicas?.desired ?? 0),
    'elapsed-seconds': String(Math.round(r.elapsedSeconds)),
    report: JSON.stringify(r)
  }
}
