// The workloads' pipeline shared by the action and the CLI: settings → cluster → decisions → report. A deploy
// tool's stage comes before it (src/gitops/run.ts); the entry points choose which runs (src/step.ts).
import { loadKubeconfig } from './kube/config.js'
import { KubeApi } from './kube/api.js'
import { SnapshotReader } from './kinds/reader.js'
import type { CommonSettings, Settings } from './inputs.js'
import type { WorkloadRef } from './refs.js'
import { CollectionPool } from './kube/collection.js'
import { combineReports } from './report/combine.js'
import { buildReport, type Report } from './report/report.js'
import { decide } from './verdict/decide.js'
import { sourceLabel } from './gitops/stage.js'
import { nameOf } from './kinds/registry.js'
import { endsAs, isVerdict } from './verdict/table.js'
import type { Diagnosis } from './verdict/types.js'
import { describeChanges } from './timeline.js'
import { waitForVerdict, Waker, describeError, type HistoryEntry, type Outcome } from './wait.js'
import { soakAfter, type SoakReport } from './soak.js'
import { AccessError } from './kube/access.js'

export interface VerifyHooks {
  /** Registers a secret before anything else is printed. */
  mask: (secret: string) => void
  /** `context`: the kubeconfig context verified (the current one when none was asked for). */
  onStart?: (info: { server: string; namespace: string; workload: string; context: string }) => void
  /** What the deploy tool (Helm, Argo CD, Flux) shows, each time it changes; seconds since the start. */
  onStage?: (at: number, text: string) => void
  onChange?: (entry: HistoryEntry, d: Diagnosis) => void
  onApiError?: (message: string) => void
}

/** What the step verifies, in words: its first workload, or the deploy tool's object. */
export function workloadLabel(s: Settings): string {
  return s.gitops ? sourceLabel(s.gitops) : nameOf(s.workload)
}

/** Settings that name their workloads (not a deploy tool's). */
export type WorkloadSettings = Extract<Settings, { workload: WorkloadRef }>

/** Verifying a deploy tool's step is the entry point's choice (src/step.ts): this pipeline is the workloads'. */
function workloadSettings(s: Settings): WorkloadSettings {
  if (s.gitops)
    throw new Error(`verify: ${sourceLabel(s.gitops)} is verified through verifyStep (src/step.ts)`)
  return s
}

interface Connection {
  api: KubeApi
  reader: SnapshotReader
  waker: Waker
  namespace: string
  workload: string
  decide: (snap: Parameters<typeof decide>[0]) => Diagnosis
}

/** `label`: what the start line says is verified (`deployment/web`, `3 workloads`, `Helm release web`). */
export function openApi(
  settings: CommonSettings,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks,
  label: string
): { api: KubeApi; namespace: string } {
  const masked = new Set<string>()
  const mask = (secret: string): void => {
    if (!masked.has(secret)) {
      masked.add(secret)
      hooks.mask(secret)
    }
  }
  const loaded = loadKubeconfig(settings.kubeconfig, settings.context, env, mask)
  const namespace = settings.namespace ?? loaded.contextNamespace ?? 'default'

  hooks.onStart?.({ server: loaded.server, namespace, workload: label, context: loaded.context })
  // A hung request gives up well inside the deadline: a sixth of it, between 1 s and 10 s.
  const requestTimeoutMs = Math.min(10_000, Math.max(1_000, Math.round(settings.timeoutMs / 6)))
  return { api: new KubeApi(loaded.kc, { onToken: mask, requestTimeoutMs }), namespace }
}

function connectWorkload(
  settings: CommonSettings,
  ref: WorkloadRef,
  api: KubeApi,
  namespace: string,
  pool?: CollectionPool
): Connection {
  const build = settings.digest?.kind === 'build-pod' ? settings.digest : undefined
  const waker = new Waker()
  const reader = new SnapshotReader(
    api,
    {
      ...ref,
      namespace,
      ...(build
        ? {
            build: {
              namespace: build.namespace ?? namespace,
              ...(build.name ? { name: build.name } : {}),
              ...(build.selector ? { selector: build.selector } : {})
            }
          }
        : {})
    },
    waker.wake,
    Date.now,
    pool
  )
  const options = {
    ...(settings.digest ? { digest: settings.digest } : {}),
    ...(settings.container ? { container: settings.container } : {})
  }
  return {
    api,
    reader,
    waker,
    namespace,
    workload: nameOf(ref),
    decide: snap => decide(snap, options)
  }
}

function workloadsLabel(s: WorkloadSettings): string {
  return s.workloads.length > 1 ? `${s.workloads.length} workloads` : nameOf(s.workload)
}

function connect(settings: WorkloadSettings, env: NodeJS.ProcessEnv, hooks: VerifyHooks): Connection {
  const { api, namespace } = openApi(settings, env, hooks, workloadsLabel(settings))
  return connectWorkload(settings, settings.workload, api, namespace)
}

function waitOn(
  c: Connection,
  settings: CommonSettings,
  hooks: VerifyHooks,
  label?: string
): Promise<Report> {
  const onChange = hooks.onChange
  return waitForVerdict({
    timeoutMs: settings.timeoutMs,
    graceMs: settings.graceMs,
    read: opts => c.reader.read(opts),
    decide: c.decide,
    sleep: c.waker.sleep,
    spent: c.waker.spent,
    ...(onChange
      ? {
          onChange: (h: HistoryEntry, d: Diagnosis) =>
            onChange(label ? { ...h, reason: `${label}: ${h.reason}` } : h, d)
        }
      : {}),
    ...(hooks.onApiError ? { onApiError: hooks.onApiError } : {})
  })
    .then(outcome => soakIfAsked(c, settings, hooks, outcome, label))
    .then(({ outcome, soak }) => ({
      ...withDigestSource(buildReport(outcome, c.workload, c.namespace, c.api.requests), settings),
      ...(soak ? { soak } : {})
    }))
}

/** With `soak`, a success is watched on for that long (within the deadline); anything else is final as it is. */
async function soakIfAsked(
  c: Connection,
  settings: CommonSettings,
  hooks: VerifyHooks,
  outcome: Outcome,
  label?: string
): Promise<{ outcome: Outcome; soak?: SoakReport }> {
  if (settings.soakMs <= 0 || outcome.verdict !== 'success' || !outcome.diagnosis) return { outcome }
  const onChange = hooks.onChange
  return soakAfter(outcome, {
    soakMs: settings.soakMs,
    timeoutMs: settings.timeoutMs,
    label: c.workload,
    read: opts => c.reader.read(opts),
    decide: c.decide,
    sleep: c.waker.sleep,
    ...(onChange
      ? {
          onChange: (h: HistoryEntry, d: Diagnosis) =>
            onChange(label ? { ...h, reason: `${label}: ${h.reason}` } : h, d)
        }
      : {}),
    ...(hooks.onApiError ? { onApiError: hooks.onApiError } : {})
  })
}

const SOURCE = { input: 'expected-digest', file: 'digest-file', 'build-pod': 'build-pod' } as const

/** What the inputs said of the built digest, for a report whose cluster reads did not (yet) say it. */
export function withDigestSource(r: Report, s: CommonSettings): Report {
  const d = s.digest
  if (!d) return r
  const source = SOURCE[d.kind]
  const given = d.kind !== 'build-pod' && d.refs.length === 1 ? d.refs[0] : undefined
  return {
    ...r,
    digestSource: source,
    ...(!r.built && given
      ? { built: { digest: given.digest, source, ...(d.kind === 'file' ? { from: d.path } : {}) } }
      : {})
  }
}

/**
 * Every workload of the step at once, under one deadline, through shared caches (one list and one watch per kind
 * and namespace for the workload objects and ReplicaSets); the step's verdict is the worst of them.
 */
export async function verifyAll(
  settings: WorkloadSettings,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks
): Promise<Report> {
  if (settings.workloads.length === 1) return verify(settings, env, hooks)
  const { api, namespace } = openApi(settings, env, hooks, workloadsLabel(settings))
  return verifyLocated(
    settings,
    settings.workloads.map(ref => ({ ref, namespace })),
    api,
    hooks
  )
}

/**
 * Workloads, each in its namespace, under one deadline (`settings.timeoutMs`) through shared caches; one alone
 * is verified exactly as `verify` does.
 */
export async function verifyLocated(
  settings: CommonSettings,
  targets: { ref: WorkloadRef; namespace: string }[],
  api: KubeApi,
  hooks: VerifyHooks
): Promise<Report> {
  const pool = targets.length > 1 ? new CollectionPool(api) : undefined
  const conns = targets.map(t => connectWorkload(settings, t.ref, api, t.namespace, pool))
  try {
    const reports = await Promise.all(
      conns.map(c => waitOn(c, settings, hooks, conns.length > 1 ? c.workload : undefined))
    )
    return reports.length === 1 ? reports[0]! : combineReports(reports, api.requests)
  } finally {
    stopAfterReport(conns.map(c => c.reader))
  }
}

/**
 * The watches stop once the report is on its way: aborting them takes a few milliseconds of client-node's teardown
 * that the verdict line and the outputs (written in this same turn of the event loop) need not wait for.
 */
function stopAfterReport(readers: SnapshotReader[]): void {
  setImmediate(() => readers.forEach(r => r.stop()))
}

/** Waits until a final diagnosis or the deadline. */
export async function verify(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks
): Promise<Report> {
  const c = connect(workloadSettings(settings), env, hooks)
  try {
    return await waitOn(c, settings, hooks)
  } finally {
    stopAfterReport([c.reader])
  }
}

/**
 * Reads the cluster once, with every piece of evidence, and says what the state shows now: the seeds' manual
 * protocol in one call. A state that would still be waited on is reported as `timeout` with what it waits for.
 */
export async function explain(
  settings: WorkloadSettings,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks
): Promise<{ report: Report; diagnosis?: Diagnosis }> {
  const c = connect(settings, env, hooks)
  const started = Date.now()
  try {
    let d: Diagnosis
    try {
      d = c.decide(await c.reader.read({ thorough: true }))
    } catch (e) {
      const reason =
        e instanceof AccessError ? e.message : `the cluster could not be read: ${describeError(e)}`
      const outcome = {
        verdict: 'unreachable' as const,
        reason,
        elapsedMs: Date.now() - started,
        history: [],
        timeline: [],
        apiErrors: 1,
        reads: 0
      }
      return {
        report: withDigestSource(buildReport(outcome, c.workload, c.namespace, c.api.requests), settings)
      }
    }
    // One read has no deadline: a decision that is not a verdict yet ends as its row says, not done yet.
    const verdict = endsAs(d.verdict)
    const reason = isVerdict(d.verdict)
      ? d.reason
      : `not done yet: waiting for ${d.waitingFor ?? 'the rollout'}`
    const outcome = {
      verdict,
      reason,
      diagnosis: d,
      elapsedMs: Date.now() - started,
      history: [{ at: 0, verdict: d.verdict, reason: d.reason }],
      timeline: describeChanges(undefined, d).map(text => ({ at: 0, text })),
      apiErrors: 0,
      reads: 1
    }
    return {
      report: withDigestSource(buildReport(outcome, c.workload, c.namespace, c.api.requests), settings),
      diagnosis: d
    }
  } finally {
    stopAfterReport([c.reader])
  }
}
