// Several clusters, one step: every context of the `context` input verified at once with the same inputs, under
// the one deadline. A cluster that cannot be read is `unreachable` alone and holds up no other cluster's verdict;
// the step's verdict is the worst of them. One context is verified exactly as before.
import { InputError } from './errors.js'
import type { ContextList, Settings } from './inputs.js'
import { kubeconfigContexts, loadKubeconfig } from './kube/config.js'
import { combineClusters } from './report/clusters.js'
import { inputReport, type Report } from './report/report.js'
import { oneLine } from './report/safe.js'
import { INVALID_INPUT } from './verdict/table.js'
import { workloadLabel, type VerifyHooks } from './verify.js'

/** One cluster's verification: the step's pipeline (verifyStep's) or the CLI's one read (`explain`). */
export type VerifyCluster = (
  settings: Settings,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks
) => Promise<Report>

export interface ClusterHooks extends VerifyHooks {
  /** A cluster's own hooks (the CLI's line for it); by default the step's, each message led by the context. */
  forCluster?: (context: string) => VerifyHooks
}

export async function acrossClusters(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  hooks: ClusterHooks,
  one: VerifyCluster
): Promise<Report> {
  const mask = onceEach(hooks.mask)
  const names = settings.contexts ? contextNames(settings.contexts, settings, env, mask) : []
  if (names.length < 2) {
    const single = names[0] ? { ...withoutList(settings), context: names[0] } : settings
    let context: string | undefined
    const report = await one(single, env, {
      ...hooks,
      onStart: i => {
        context = i.context
        hooks.onStart?.(i)
      }
    })
    return context !== undefined ? { ...report, context } : report
  }
  const reports = await Promise.all(
    names.map(context =>
      one({ ...withoutList(settings), context }, env, {
        ...(hooks.forCluster?.(context) ?? led(hooks, context)),
        mask
      }).then(
        r => ({ ...r, context }),
        (e: unknown) => failedCluster(context, e, settings)
      )
    )
  )
  return combineClusters(reports)
}

function withoutList(s: Settings): Settings {
  const { contexts: _, ...rest } = s
  return rest
}

/**
 * The contexts to verify, each checked before any is read: a name the kubeconfig lacks, or credentials this runner
 * cannot use, is the step's bad input, named, not one cluster's verdict.
 */
function contextNames(
  list: ContextList,
  settings: Settings,
  env: NodeJS.ProcessEnv,
  mask: (s: string) => void
): string[] {
  const names = 'names' in list ? [...list.names] : kubeconfigContexts(settings.kubeconfig, env, mask)
  for (const name of names) loadKubeconfig(settings.kubeconfig, name, env, mask)
  return names
}

/**
 * A failure no read could turn into a verdict ends that cluster alone; the other clusters go on to theirs. (Bad input
 * is found before any cluster is read; one that shows only on a cluster is that cluster's `invalid-input`.)
 */
function failedCluster(context: string, e: unknown, s: Settings): Report {
  const message = oneLine((e as Error)?.message ?? String(e))
  return {
    ...inputReport('', workloadLabel(s), s.namespace ?? ''),
    ...(e instanceof InputError
      ? { verdict: INVALID_INPUT, reason: `on ${context}: ${message}` }
      : {
          verdict: 'unreachable' as const,
          reason: `kube-verdict could not finish on ${context}: ${message}`
        }),
    context
  }
}

/** The runner prints one `add-mask` per secret, however many contexts share a user. */
function onceEach(mask: (s: string) => void): (s: string) => void {
  const seen = new Set<string>()
  return s => {
    if (seen.has(s)) return
    seen.add(s)
    mask(s)
  }
}

/** The step's hooks with each line led by the cluster's context. */
function led(h: VerifyHooks, context: string): VerifyHooks {
  return {
    mask: h.mask,
    ...(h.onStart ? { onStart: h.onStart } : {}),
    ...(h.onChange
      ? { onChange: (e, d) => h.onChange!({ ...e, reason: `${context}: ${e.reason}` }, d) }
      : {}),
    ...(h.onStage ? { onStage: (at, text) => h.onStage!(at, `${context}: ${text}`) } : {}),
    ...(h.onApiError ? { onApiError: m => h.onApiError!(`${context}: ${m}`) } : {})
  }
}
