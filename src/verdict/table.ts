// Every fact about a verdict in one table: the compiler asks for each of them when a verdict is added. Reporters,
// the action and the CLI read these rows; none of them names a verdict of its own accord.
import * as step from './steps.js'
import type { DecisionName, VerdictName, WaitState } from './types.js'

/** A GitHub Deployment status. */
export type DeploymentState = 'success' | 'failure' | 'error' | 'inactive'
export type Color = 'red' | 'green' | 'yellow' | 'magenta'
export type AnnotationLevel = 'error' | 'warning' | 'notice'

export interface VerdictFacts {
  /** Worst first: the step's verdict is the lowest rank among its workloads; findings rank the same way. */
  rank: number
  /** The CLI's exit code. */
  exitCode: number
  deploymentState: DeploymentState
  color: Color
  icon: string
  /** Who acts next: the next step names them where it says `WHO` (`App team: …`). */
  actor: string
  /** The next step, as words and commands (see steps.ts). */
  next: step.NextStep
  /** Whether it fails the action's step: always (bad input), never (success), or when `fail-on-verdict` is true. */
  failsStep: 'always' | 'never' | 'if-fail-on-verdict'
  /** Its annotation's level when it does not fail the step (one that fails the step is an `error`). */
  annotation: Exclude<AnnotationLevel, 'error'>
  /**
   * What the report rests on: the cluster was read; only the inputs were (the cluster could not be, so no image
   * was verified); not even the inputs (they are not valid, so nothing of the image is known).
   */
  read: 'cluster' | 'inputs' | 'nothing'
}

/** A decision that is not a verdict: shown while waiting; `endsAs` when the wait ends while it holds. */
export interface StateFacts {
  color: Color
  icon: string
  endsAs: VerdictName
}

const failure = {
  exitCode: 1,
  deploymentState: 'failure',
  color: 'red',
  icon: '❌',
  failsStep: 'if-fail-on-verdict',
  annotation: 'warning',
  read: 'cluster'
} as const

// Ranks: what the cluster could not even be asked; then the problems in the order that names a single
// workload's verdict (the most specific, the one that explains the others, first); then what is only not done.
export const VERDICT: { [D in DecisionName]: D extends WaitState ? StateFacts : VerdictFacts } = {
  'invalid-input': {
    rank: 0,
    exitCode: 4,
    deploymentState: 'error',
    color: 'magenta',
    icon: '⚠️',
    actor: 'pipeline',
    next: () => ['Fix the input named above.'],
    failsStep: 'always',
    annotation: 'warning',
    read: 'nothing'
  },
  unreachable: {
    ...failure,
    rank: 1,
    exitCode: 3,
    deploymentState: 'error',
    color: 'magenta',
    icon: '🔌',
    actor: 'pipeline/platform',
    next: () => [
      step.WHO,
      ': check the kubeconfig, the credentials and their RBAC, and that the runner can reach the API server.'
    ],
    read: 'inputs'
  },
  'apply-failed': {
    ...failure,
    rank: 2,
    icon: '🚫',
    actor: 'author of the change',
    next: step.applyFailed
  },
  'build-failed': {
    ...failure,
    rank: 3,
    actor: 'app team',
    next: () => [
      step.WHO,
      ': the build failed in code, dependencies or the Dockerfile; its last log lines are below.'
    ]
  },
  'crash-loop': { ...failure, rank: 4, actor: 'app team', next: step.crashLoop },
  'config-error': { ...failure, rank: 5, actor: 'deploy configuration', next: step.configError },
  'image-pull': { ...failure, rank: 6, actor: 'pipeline', next: step.imagePull },
  network: { ...failure, rank: 7, actor: 'platform team', next: step.network },
  scheduling: { ...failure, rank: 8, actor: 'capacity or configuration', next: step.scheduling },
  unhealthy: { ...failure, rank: 9, actor: 'app team', next: step.unhealthy },
  stale: { ...failure, rank: 10, actor: 'pipeline', next: step.stale },
  'not-found': {
    ...failure,
    rank: 11,
    actor: 'pipeline',
    next: c => [
      step.WHO,
      `: ${c.workload} is not in namespace ${c.namespace}. Check the workload and namespace inputs, and that the deploy step applied it.`
    ]
  },
  // The deploy tool applied another revision after the one waited for: not this change's failure, and never its
  // success. GitHub's own word for a deployment a newer one replaced is `inactive`.
  superseded: {
    ...failure,
    rank: 12,
    exitCode: 5,
    deploymentState: 'inactive',
    color: 'yellow',
    icon: '⏭️',
    actor: 'the run that deployed the newer revision',
    next: step.superseded
  },
  timeout: {
    ...failure,
    rank: 13,
    exitCode: 2,
    color: 'yellow',
    icon: '⏱️',
    actor: 'whoever waits',
    next: step.timedOut
  },
  success: {
    rank: 14,
    exitCode: 0,
    deploymentState: 'success',
    color: 'green',
    icon: '✅',
    actor: 'nobody',
    next: step.succeeded,
    failsStep: 'never',
    annotation: 'notice',
    read: 'cluster'
  },
  progressing: { color: 'yellow', icon: '⏳', endsAs: 'timeout' }
}

/** The verdict of input that is not valid, which the pipeline names before it reads anything. */
export const INVALID_INPUT = 'invalid-input' satisfies VerdictName

export function isVerdict(d: DecisionName): d is VerdictName {
  return !('endsAs' in VERDICT[d])
}

/** The verdict a decision ends as when the wait ends while it holds (a verdict ends as itself). */
export function endsAs(d: DecisionName): VerdictName {
  return isVerdict(d) ? d : VERDICT[d].endsAs
}

export function failsStep(v: VerdictName, failOnVerdict: boolean): boolean {
  const f = VERDICT[v].failsStep
  return f === 'always' || (f === 'if-fail-on-verdict' && failOnVerdict)
}

/** The verdict's own annotation: an error when it fails the step. */
export function annotationLevel(v: VerdictName, failOnVerdict: boolean): AnnotationLevel {
  return failsStep(v, failOnVerdict) ? 'error' : VERDICT[v].annotation
}

/** The rollout is done and verified as far as it can be: the verdict never fails the step. */
export function rolledOut(v: VerdictName): boolean {
  return VERDICT[v].failsStep === 'never'
}

/** Findings rank by severity first, then by their verdict's rank. */
export const SEVERITY_RANK = { error: 0, warning: 1, notice: 2 } as const

/** The worst of several verdicts (success when there are none). */
export function worst(verdicts: VerdictName[]): VerdictName {
  return verdicts.reduce<VerdictName>((w, v) => (VERDICT[v].rank < VERDICT[w].rank ? v : w), 'success')
}
