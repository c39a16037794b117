// The report object: everything the summary shows, as JSON (the `report` output and the CLI's --json).
import type { GitopsReport } from '../gitops/stage.js'
import type { Outcome } from '../wait.js'
import type { SoakReport } from '../verdict/soak.js'
import type {
  BuiltDigest,
  Finding,
  PodRow,
  Replicas,
  RunningDigest,
  VerdictName,
  WarningEvent
} from '../verdict/types.js'
import { INVALID_INPUT, rolledOut } from '../verdict/table.js'

/** The report stays small whatever the cluster holds: a 1,000-pod rollout lists its first pods and says how many. */
const MAX_PODS = 100
const MAX_WARNINGS = 50

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
  pods: PodRow[]
  warnings: WarningEvent[]
  unreadable: string[]
  /** What changed along the way, with seconds since the wait began. */
  timeline: Outcome['timeline']
  history: Outcome['history']
  apiErrors: number
  reads: number
  /** HTTP requests the verification made (lists, watches, events, logs), where known. */
  apiRequests?: number
  /** Where the built digest was to come from, when a source was given (also when it is not known yet). */
  digestSource?: BuiltDigest['source']
  /** What the deploy tool (Helm, Argo CD, Flux) did, when the step verified what it applied. */
  gitops?: GitopsReport
  /** It defines pods but wants none (scaled to zero): nothing ran, so the image was not verified. */
  nothingRan?: true
  /** The kubeconfig context verified, when known (the current one when none was asked for). */
  context?: string
  /** With several clusters: each one's report, in the order of the `context` input (this one is their union). */
  clusters?: Report[]
  /** With `soak`: how long the new pods were watched after Ready, and what ended it. */
  soak?: SoakReport
  /** With several workloads: each one's verdict (the rest of the report is their union). */
  workloads?: { workload: string; verdict: VerdictName; reason: string; nothingRan?: true }[]
}

export function buildReport(o: Outcome, workload: string, namespace: string, apiRequests?: number): Report {
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
    pods: (d?.pods ?? []).slice(0, MAX_PODS),
    warnings: (d?.warnings ?? []).slice(0, MAX_WARNINGS),
    unreadable: d?.unreadable ?? [],
    ...(d?.nothingRan && rolledOut(o.verdict) ? { nothingRan: true as const } : {}),
    timeline: o.timeline,
    history: o.history,
    apiErrors: o.apiErrors,
    reads: o.reads,
    ...(apiRequests !== undefined ? { apiRequests } : {})
  }
}

/** A report for a run that never reached the cluster (bad input). */
export function inputReport(reason: string, workload: string, namespace: string): Report {
  return {
    verdict: INVALID_INPUT,
    reason,
    workload,
    namespace,
    elapsedSeconds: 0,
    running: [],
    findings: [],
    pods: [],
    warnings: [],
    unreadable: [],
    timeline: [],
    history: [],
    apiErrors: 0,
    reads: 0
  }
}

/** Each workload of one cluster's report with its verdict. */
export function workloadVerdicts(r: Report): [string, VerdictName][] {
  return (r.workloads ?? [{ workload: r.workload, verdict: r.verdict }]).map(w => [w.workload, w.verdict])
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
    'applied-revision': r.gitops?.supersededBy ?? r.gitops?.applied ?? '',
    verdicts: JSON.stringify(
      Object.fromEntries(
        (r.clusters ?? [r]).flatMap(c =>
          workloadVerdicts(c).map(([w, v]) => [r.clusters ? `${c.context}/${w}` : w, v])
        )
      )
    ),
    'cluster-verdicts': JSON.stringify(
      Object.fromEntries(
        (r.clusters ?? [r]).flatMap(c => (c.context !== undefined ? [[c.context, c.verdict]] : []))
      )
    ),
    report: JSON.stringify(r)
  }
}
