// The pipeline shared by the action and the CLI: settings → cluster → decisions → report.
import { loadKubeconfig } from './kube/config.js'
import { KubeApi } from './kube/api.js'
import { SnapshotReader } from './kube/reader.js'
import type { Settings } from './inputs.js'
import { buildReport, type Report } from './report/report.js'
import { decide } from './verdict/decide.js'
import type { Diagnosis } from './verdict/types.js'
import { waitForVerdict, Waker, type HistoryEntry } from './wait.js'

export interface VerifyHooks {
  /** Registers a secret before anything else is printed. */
  mask: (secret: string) => void
  onStart?: (info: { server: string; namespace: string; workload: string }) => void
  onChange?: (entry: HistoryEntry, d: Diagnosis) => void
  onApiError?: (message: string) => void
}

export function workloadLabel(s: Settings): string {
  return `${s.workload.kind.toLowerCase()}/${s.workload.name}`
}

export async function verify(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  hooks: VerifyHooks
): Promise<Report> {
  const masked = new Set<string>()
  const mask = (secret: string): void => {
    if (!masked.has(secret)) {
      masked.add(secret)
      hooks.mask(secret)
    }
  }
  const loaded = loadKubeconfig(settings.kubeconfig, settings.context, env, mask)
  const namespace = settings.namespace ?? loaded.contextNamespace ?? 'default'
  const workload = workloadLabel(settings)
  hooks.onStart?.({ server: loaded.server, namespace, workload })
  // A hung request gives up well inside the deadline: a sixth of it, between 1 s and 10 s.
  const requestTimeoutMs = Math.min(10_000, Math.max(1_000, Math.round(settings.timeoutMs / 6)))
  const api = new KubeApi(loaded.kc, { onToken: mask, requestTimeoutMs })
  const build = settings.digest?.kind === 'build-pod' ? settings.digest : undefined
  const waker = new Waker()
  const reader = new SnapshotReader(
    api,
    {
      namespace,
      name: settings.workload.name,
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
    waker.wake
  )
  try {
    const outcome = await waitForVerdict({
      timeoutMs: settings.timeoutMs,
      graceMs: settings.graceMs,
      read: opts => reader.read(opts),
      decide: snap =>
        decide(snap, {
          ...(settings.digest ? { digest: settings.digest } : {}),
          ...(settings.container ? { container: settings.container } : {})
        }),
      watchLive: () => reader.watchLive,
      sleep: waker.sleep,
      ...(hooks.onChange ? { onChange: hooks.onChange } : {}),
      ...(hooks.onApiError ? { onApiError: hooks.onApiError } : {})
    })
    return buildReport(outcome, workload, namespace, api.requests)
  } finally {
    reader.stop()
  }
}
