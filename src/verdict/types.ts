// The vocabulary of decisions. Verdict names are the public interface; keep them.
export const VERDICTS = [
  'success',
  'build-failed',
  'scheduling',
  'stale',
  'network',
  'image-pull',
  'config-error',
  'crash-loop',
  'unhealthy',
  'not-found',
  'unreachable',
  'timeout',
  'invalid-input'
] as const

export type VerdictName = (typeof VERDICTS)[number]

/** Verdicts a cluster state can show; the others (unreachable, timeout, invalid-input) come from the wait itself. */
export type StateVerdict = Exclude<VerdictName, 'unreachable' | 'timeout' | 'invalid-input'>

/** When a diagnosis may end the wait: now; once it has held for the grace period; or only at the deadline. */
export type Finality = 'final' | 'after-grace' | 'at-deadline'

export interface Finding {
  /** The verdict this evidence points to. */
  verdict: StateVerdict
  severity: 'error' | 'warning' | 'notice'
  /** What it is about: `pod/web-7c9f-x2x4q`, `replicaset/web-7c9f`, `build pod ci/build-42`. */
  subject: string
  message: string
  container?: string
  /** Extra lines worth showing (a crash log tail, the scheduler's reasons). */
  detail?: string[]
}

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

/**
 * A decision about one snapshot. `progressing` means nothing is wrong yet and nothing is done; `timeout` here
 * means the Deployment's own progress deadline passed with nothing more specific to name.
 */
export interface Diagnosis {
  verdict: StateVerdict | 'progressing' | 'timeout'
  reason: string
  finality: Finality
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
}
