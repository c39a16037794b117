// The vocabulary of decisions. Verdict names are the public interface; keep them.
import type { WorkloadRef } from '../refs.js'
import type { SchedulingFailure } from './scheduling.js'

export const VERDICTS = [
  'success',
  'apply-failed',
  'build-failed',
  'scheduling',
  'stale',
  'network',
  'image-pull',
  'config-error',
  'crash-loop',
  'unhealthy',
  'not-found',
  'superseded',
  'unreachable',
  'timeout',
  'invalid-input'
] as const

export type VerdictName = (typeof VERDICTS)[number]

/**
 * A decision that is not a verdict: the wait goes on. It has a row of its own in the table (`VERDICT`), and ends
 * as the verdict that row names when the wait ends while it holds.
 */
export type WaitState = 'progressing'

/** Everything a decision can say: a verdict, or that the wait goes on. */
export type DecisionName = VerdictName | WaitState

/**
 * Verdicts a workload's state can show; the others come from the wait itself (unreachable, timeout,
 * invalid-input) or from the deploy tool (apply-failed before any workload is read; superseded when it applied
 * another revision after the one waited for).
 */
export type StateVerdict = Exclude<
  VerdictName,
  'unreachable' | 'timeout' | 'invalid-input' | 'apply-failed' | 'superseded'
>

/** When a diagnosis may end the wait: now; once it has held for the grace period; or only at the deadline. */
export type Finality = 'final' | 'after-grace' | 'at-deadline'

/**
 * Verdicts evidence can point to (success and a missing workload are not evidence of anything); `timeout` for
 * evidence of something still on its way (a pod waiting for the image its build has not pushed yet).
 */
export type FindingVerdict = Exclude<StateVerdict, 'success' | 'not-found'> | 'timeout'

interface FindingBase {
  /** The verdict this evidence points to. */
  verdict: FindingVerdict
  severity: 'error' | 'warning' | 'notice'
  /** What it is about: `pod/web-7c9f-x2x4q`, `replicaset/web-7c9f`, `build pod ci/build-42`. */
  subject: string
  /** The pod's name when it is a pod's (what `kubectl describe pod` takes); the subject is words to show. */
  pod?: string
  message: string
  container?: string
  /** Extra lines worth showing (a crash log tail, the scheduler's reasons). */
  detail?: string[]
  /** The workload it belongs to. */
  workload: WorkloadRef
  /** The kubeconfig context it was seen on, when the step verified several clusters. */
  cluster?: string
}

/** A Secret or ConfigMap a pod refers to; `name` as the kubelet wrote it (`shop/db-creds` or `db-creds`). */
export interface ConfigRef {
  object: 'Secret' | 'ConfigMap'
  name: string
  /** The key missing from it, when it exists but lacks one. */
  key?: string
}

/** What a registry's answer to a pull says, as a closed set. */
export type PullKind = 'credentials' | 'missing-or-credentials' | 'not-found' | 'unreachable' | 'other'

/** What a pod waits for when the image it cannot pull is the one the build pod will push (or just pushed). */
export interface AwaitingBuild {
  /** The image the pod asks for. */
  image: string
  /** The build pod (`ci/build-42`), or the build-pod input while no pod matches it. */
  build: { namespace: string; pod?: string; ref: string }
  /**
   * `absent`, `running`: the build has not pushed yet. `pushed`: it pushed after the kubelet's last pull, which
   * the kubelet repeats only after its back-off.
   */
  state: 'absent' | 'running' | 'pushed'
  /** The registry's answer to the last pull, in words. */
  why: string
}

export interface SchedulingFacts extends SchedulingFailure {
  /** What the cluster-autoscaler answered, in its words. */
  autoscaler?: { adding: boolean; says: string }
}

/** Why: a closed set of causes, each with the facts reporters render (never parsed back from `message`). */
/** The kubelet killed the container because a probe failed (its `Killing` event), with the probe's last failure. */
export interface ProbeKill {
  probe: 'Liveness' | 'Startup'
  /** The kubelet's `Unhealthy` event: `Liveness probe failed: HTTP probe failed with statuscode: 500`. */
  failure?: string
}

export type Cause =
  | {
      cause: 'crash'
      facts: {
        restarts: number
        exitCode?: number
        reason?: string
        previousLog: boolean
        /** Its last end was the kubelet's doing, not the process's own exit. */
        killedBy?: ProbeKill
      }
    }
  | { cause: 'pod-failed'; facts: { reason?: string } }
  /** New pods that keep ending as husks the controller replaces (evicted, rejected at admission, shut down). */
  | { cause: 'replaced'; facts: { reason: string; pods: number; nodes: string[]; resource?: string } }
  | {
      cause: 'image-pull'
      /** `image` as the pod spec asks for it; `failedAt`: the kubelet's last failed pull (its event). */
      facts: { why: string; kind?: PullKind; image?: string; failedAt?: string }
    }
  /** A pull failing only because the build has not pushed the image yet (or pushed it after the last pull). */
  | { cause: 'awaiting-build'; facts: AwaitingBuild }
  | { cause: 'invalid-image'; facts: Record<string, never> }
  | { cause: 'missing-config'; facts: ConfigRef & { via: 'container' | 'volume' } }
  | { cause: 'create-container'; facts: Record<string, never> }
  | { cause: 'volume'; facts: Record<string, never> }
  | { cause: 'replica-failure'; facts: Record<string, never> }
  | { cause: 'sandbox'; facts: { event: string; ipExhausted: boolean } }
  | { cause: 'unschedulable'; facts: SchedulingFacts }
  | { cause: 'probe'; facts: { probe?: 'Readiness' | 'Liveness' | 'Startup' } }
  | {
      cause: 'digest-mismatch'
      /** `pinned`: the workload's template names an image by another digest than the built one (`repo@sha256:…`). */
      facts: { running: string; built: string; pinned?: string }
    }
  | { cause: 'on-delete'; facts: { pods: string[] } }
  | { cause: 'build'; facts: { exitCode?: number } }
  /** The kind's controller reports the failure (a Degraded Rollout, a failed revision, a Stalled condition). */
  | { cause: 'controller'; facts: { inspect?: string } }

export type CauseName = Cause['cause']

export type Finding = FindingBase & Cause

/** A finding before it is stamped with its workload (a pod diagnosis does not know it). */
export type Observed = Finding extends infer F ? (F extends Finding ? Omit<F, 'workload'> : never) : never

export type DigestMatch = 'match' | 'mismatch' | 'unverifiable' | 'pending'

export interface BuiltDigest {
  digest: string
  repository?: string
  source: 'expected-digest' | 'digest-file' | 'build-pod'
  /** Where exactly: the file's path, the build pod's name. */
  from?: string
}

export interface RunningDigest {
  pod: string
  container: string
  imageID: string
  digest?: string
  match: DigestMatch
}

export interface Replicas {
  desired: number
  updated: number
  ready: number
  available: number
}

/** One new pod as the summary's pods table shows it. */
export interface PodRow {
  name: string
  phase: string
  /** Ready containers / all containers. */
  ready: string
  restarts: number
  node?: string
  /** The waiting or terminated reason of the first container that has one (ContainerCreating, CrashLoopBackOff…). */
  state?: string
}

/** A Warning event of this rollout's objects. */
export interface WarningEvent {
  object: string
  reason: string
  message: string
  count: number
  lastSeen: string
}

/** A verdict with the finality it can have: no combination that contradicts itself can be written. */
export type Decision =
  /** After grace only where the kind's Ready may still be the previous spec's (`readyMayBePrevious`). */
  | { verdict: 'success'; finality: 'final' | 'after-grace' }
  /** Nothing is wrong yet and nothing is done. */
  | { verdict: WaitState; finality: 'at-deadline' }
  /** The workload's own progress deadline passed with nothing more specific to name. */
  | { verdict: 'timeout'; finality: 'final' }
  /** A missing workload or a stale digest may be a moment's lag: it must hold for the grace period. */
  | { verdict: 'not-found' | 'stale'; finality: 'after-grace' }
  | { verdict: FindingVerdict; finality: 'final' | 'at-deadline' }

/** A decision about one snapshot. */
export type Diagnosis = Decision & {
  reason: string
  /** What the rollout still waits for, in words (shown while waiting and on `timeout`). */
  waitingFor?: string
  findings: Finding[]
  built?: BuiltDigest
  /** True while the build pod still runs, so no digest can be known yet. */
  buildRunning?: boolean
  running: RunningDigest[]
  replicas: Replicas
  pods: PodRow[]
  warnings: WarningEvent[]
  /** Evidence the action was not allowed to read, with the rule that would allow it. */
  unreadable: string[]
  /** It defines pods but wants none (scaled to zero): nothing ran, so no image was verified. */
  nothingRan?: true
}
