// The step's one choice, made for both entry points: a deploy tool's change (its stage, then the workloads it
// applied) or the workloads the inputs name. Below this, src/verify.ts knows workloads only.
import type { Settings } from './inputs.js'
import type { Report } from './report/report.js'
import { verifyAll, type VerifyHooks } from './verify.js'

export async function verifyStep(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks
): Promise<Report> {
  if (!settings.gitops) return verifyAll(settings, env, hooks)
  // Loaded only for a deploy tool: the YAML parser is a share of the cold start.
  const { verifyGitops } = await import('./gitops/run.js')
  return verifyGitops(settings, settings.gitops, env, hooks)
}
