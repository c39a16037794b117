// The step's choices, made for both entry points: which clusters (src/clusters.ts), then on each a deploy tool's
// change (its stage, then the workloads it applied) or the workloads the inputs name. Below this, src/verify.ts
// knows workloads only.
import { acrossClusters, type ClusterHooks } from './clusters.js'
import type { Settings } from './inputs.js'
import type { Report } from './report/report.js'
import { verifyAll, type VerifyHooks } from './verify.js'

export function verifyStep(settings: Settings, env: NodeJS.ProcessEnv, hooks: ClusterHooks): Promise<Report> {
  return acrossClusters(settings, env, hooks, verifyCluster)
}

async function verifyCluster(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks
): Promise<Report> {
  if (!settings.gitops) return verifyAll(settings, env, hooks)
  // Loaded only for a deploy tool: the YAML parser is a share of the cold start.
  const { verifyGitops } = await import('./gitops/run.js')
  return verifyGitops(settings, settings.gitops, env, hooks)
}
