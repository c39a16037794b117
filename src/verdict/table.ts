// Every fact about a verdict in one table: the compiler asks for each of them when a verdict is added.
import type { VerdictName } from './types.js'

/** A GitHub Deployment status. */
export type DeploymentState = 'success' | 'failure' | 'error' | 'inactive'
export type Color = 'red' | 'green' | 'yellow' | 'magenta'

export interface VerdictFacts {
  /** Worst first: the step's verdict is the lowest rank among its workloads; findings rank the same way. */
  rank: number
  /** The CLI's exit code. */
  exitCode: number
  deploymentState: DeploymentState
  color: Color
  icon: string
  /** Who acts next. */
  actor: string
}

const failure = { exitCode: 1, deploymentState: 'failure', color: 'red', icon: '❌' } as const

// Ranks: what the cluster could not even be asked; then the problems in the order that names a single
// workload's verdict (the most specific, the one that explains the others, first); then what is only not done.
export const VERDICT: Record<VerdictName, VerdictFacts> = {
  'invalid-input': {
    rank: 0,
    exitCode: 4,
    deploymentState: 'error',
    color: 'magenta',
    icon: '⚠️',
    actor: 'pipeline'
  },
  unreachable: {
    rank: 1,
    exitCode: 3,
    deploymentState: 'error',
    color: 'magenta',
    icon: '🔌',
    actor: 'pipeline/platform'
  },
  'apply-failed': {
    ...failure,
    rank: 2,
    icon: '🚫',
    actor: 'author of the change'
  },
  'build-failed': { ...failure, rank: 3, actor: 'app team' },
  'crash-loop': { ...failure, rank: 4, actor: 'app team' },
  'config-error': { ...failure, rank: 5, actor: 'deploy configuration' },
  'image-pull': { ...failure, rank: 6, actor: 'pipeline' },
  network: { ...failure, rank: 7, actor: 'platform team' },
  scheduling: { ...failure, rank: 8, actor: 'capacity or configuration' },
  unhealthy: { ...failure, rank: 9, actor: 'app team' },
  stale: { ...failure, rank: 10, actor: 'pipeline' },
  'not-found': { ...failure, rank: 11, actor: 'pipeline' },
  // The deploy tool applied another revision after the one waited for: not this change's failure, and never its
  // success. GitHub's own word for a deployment a newer one replaced is `inactive`.
  superseded: {
    rank: 12,
    exitCode: 5,
    deploymentState: 'inactive',
    color: 'yellow',
    icon: '⏭️',
    actor: 'the run that deployed the newer revision'
  },
  timeout: {
    rank: 13,
    exitCode: 2,
    deploymentState: 'failure',
    color: 'yellow',
    icon: '⏱️',
    actor: 'whoever waits'
  },
  success: { rank: 14, exitCode: 0, deploymentState: 'success', color: 'green', icon: '✅', actor: 'nobody' }
}

/** Findings rank by severity first, then by their verdict's rank. */
export const SEVERITY_RANK = { error: 0, warning: 1, notice: 2 } as const

/** The worst of several verdicts (success when there are none). */
export function worst(verdicts: VerdictName[]): VerdictName {
  return verdicts.reduce<VerdictName>((w, v) => (VERDICT[v].rank < VERDICT[w].rank ? v : w), 'success')
}
