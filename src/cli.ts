#!/usr/bin/env node
// The CLI: the action's pipeline with a terminal reporter. Argument parsing and wiring only; the verdict comes
// from the same engine (verifyStep/explain), never from here.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { argumentError, exitCodeLines, flagMessage } from './cli-words.js'
import { InputError } from './errors.js'
import { GITOPS_INPUTS, readSettings } from './inputs.js'
import type { KubeconfigSource } from './kube/config.js'
import { inputReport, type Report } from './report/report.js'
import { oneLine } from './report/safe.js'
import { StatusLine, paint, progressLine, renderVerdict, verdictColor, type Out } from './report/terminal.js'
import { VERDICT } from './verdict/table.js'
import type { Diagnosis, VerdictName } from './verdict/types.js'
import type { HistoryEntry } from './wait.js'
import { verifyStep } from './step.js'
import { explain, type VerifyHooks, type WorkloadSettings } from './verify.js'
import { acrossClusters, type ClusterHooks } from './clusters.js'
import { StatusLines } from './report/status-lines.js'

const HELP = `kube-verdict: the truth about a Kubernetes rollout, at the terminal.

Usage:
  kube-verdict KIND/NAME [options]           wait until the rollout gives a verdict (or the deadline)
  kube-verdict explain KIND/NAME [options]   read the cluster once and say what the state shows now
  kube-verdict --helm-release NAME | --argocd-application [NS/]NAME | --flux-kustomization [NS/]NAME
               | --flux-helmrelease [NS/]NAME [--revision REV]
                                            wait until the tool applied the change, then verify its workloads

Options:
  -n, --namespace NS        namespace of the workload (default: the context's, else default)
  -l, --selector SELECTOR   instead of KIND/NAME: the pods this label selector finds (bare pods)
      --digest DIGEST       the built digest: sha256:<64 hex> or IMAGE@sha256:<64 hex>
      --digest-file PATH    a file holding it (Kaniko --digest-file, image-name-with-digest, buildx metadata)
      --build-pod POD       name or label selector of the build pod whose log holds "Pushed …@sha256:…"
      --build-namespace NS  its namespace (default: the workload's)
  -c, --container NAME      container whose imageID is compared
      --helm-release NAME   instead of KIND/NAME: the workloads of Helm release NAME (in --namespace), once its
                            newest revision is deployed (a failure of Helm's own wait is checked, not believed)
      --helm-driver DRIVER  Helm's storage: secret (default) or configmap, as HELM_DRIVER
      --argocd-application [NS/]NAME
                            instead of KIND/NAME: an Argo CD Application's workloads (NS default argocd)
      --flux-kustomization [NS/]NAME
                            instead of KIND/NAME: a Flux Kustomization's workloads (NS default flux-system)
      --flux-helmrelease [NS/]NAME
                            instead of KIND/NAME: a Flux HelmRelease's workloads (NS default flux-system)
      --revision REV        the commit the tool must have applied (SHA, short SHA, or main@sha1:<sha>); with
                            --helm-release the release revision number; with --flux-helmrelease the chart
                            version or the config digest (sha256:…)
      --timeout DURATION    deadline: 90s, 5m, 1h30m (default 10m)
      --grace DURATION      how long a stale digest or a missing workload must hold
                            (default: a quarter of --timeout, at most 15s)
      --soak DURATION       after success, keep watching the new pods this long (restarts, crashes, readiness
                            lost, evictions, pods joining on another digest); --timeout covers it (default 0s)
      --kubeconfig PATH     kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)
      --context NAME        kubeconfig context (default: the current one); several times, or *, to verify
                            each cluster at once (one live line each; the verdict is the worst of them)
      --json                print the report object (the action's "report" output) instead of text
      --no-color            no colours (also: NO_COLOR set, or not a terminal)
  -h, --help                this help
      --version             the version

Examples:
  kube-verdict deployment/web -n shop --digest sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
  kube-verdict deployment/web -n shop --build-pod job-name=build-42 --build-namespace ci --timeout 5m
  kube-verdict deployment/web -n shop --digest-file ./digest --soak 60s   # then watch the new pods for 60s
  kube-verdict explain deployment/web -n shop
  kube-verdict deployment/web --json | jq .verdict
  kube-verdict --helm-release web -n shop --timeout 5m
  kube-verdict --argocd-application argocd/shop --revision 9a8b7c6

Exit codes:
${exitCodeLines()}
`

export function exitCode(v: VerdictName): number {
  return VERDICT[v].exitCode
}

/** `--json` asked for, read from the raw arguments (so that even an argument error answers in JSON). */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--')
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json')
}

/** A usage error: one line and exit 4; with --json, the invalid-input report object on stdout. */
function usageError(message: string, json: boolean, workload = '', namespace = ''): number {
  if (json) process.stdout.write(JSON.stringify(inputReport(message, workload, namespace), null, 2) + '\n')
  else process.stderr.write(`kube-verdict: ${message}\nRun kube-verdict --help for the options.\n`)
  return 4
}

const OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  selector: { type: 'string', short: 'l' },
  digest: { type: 'string' },
  'digest-file': { type: 'string' },
  'build-pod': { type: 'string' },
  'build-namespace': { type: 'string' },
  container: { type: 'string', short: 'c' },
  timeout: { type: 'string' },
  grace: { type: 'string' },
  soak: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string', multiple: true },
  'helm-release': { type: 'string' },
  'helm-driver': { type: 'string' },
  'argocd-application': { type: 'string' },
  'flux-kustomization': { type: 'string' },
  'flux-helmrelease': { type: 'string' },
  revision: { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' }
} as const

type Values = Record<string, string | string[] | boolean | undefined>
type Mode = 'wait' | 'explain'

async function main(argv: string[]): Promise<number> {
  const stdout = process.stdout
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
  } catch (e) {
    return usageError(argumentError(e as Error), wantsJson(argv))
  }
  const v = parsed.values as Values
  const json = Boolean(v.json)
  if (v.help) {
    stdout.write(HELP)
    return 0
  }
  if (v.version) {
    stdout.write('kube-verdict 0.1.0\n')
    return 0
  }
  const positionals = [...parsed.positionals]
  const mode: Mode = positionals[0] === 'explain' ? (positionals.shift(), 'explain') : 'wait'
  const misuse = usageProblem(positionals, v, mode)
  if (misuse) return usageError(misuse.message, json, misuse.workload, String(v.namespace ?? ''))
  const out = terminalOut(json, v)
  const report = await run(mode, inputsOf(positionals, v), v.kubeconfig as string | undefined, out)
  const render = report.clusters
    ? (await import('./report/cluster-terminal.js')).renderClusters
    : renderVerdict
  if (json) stdout.write(JSON.stringify(report, null, 2) + '\n')
  else stdout.write((out.isTTY ? '' : '\n') + render({ ...out, isTTY: Boolean(stdout.isTTY) }, report, mode))
  return exitCode(report.verdict)
}

/** What is wrong with the positionals and the flags together, if anything, and the workload they name. */
function usageProblem(
  positionals: string[],
  v: Values,
  mode: Mode
): { message: string; workload: string } | undefined {
  const tool = GITOPS_INPUTS.find(i => typeof v[i] === 'string')
  if (tool && mode === 'explain')
    return {
      message: `explain reads one workload; --${tool} waits for the tool (drop "explain")`,
      workload: ''
    }
  if (positionals.length === (v.selector || tool ? 0 : 1)) return undefined
  const given = positionals.map(p => JSON.stringify(p)).join(' ')
  return {
    message:
      positionals.length === 0
        ? 'give the workload, KIND/NAME. Example: kube-verdict deployment/web -n shop'
        : v.selector
          ? `--selector replaces KIND/NAME; got both (${given}). Example: kube-verdict -l app=web -n shop`
          : `one workload at a time; got ${given}. Example: kube-verdict deployment/web -n shop`,
    workload: positionals[0] ?? ''
  }
}

/** The flags as the action's inputs: one settings reader serves both. */
function inputsOf(positionals: string[], v: Values): Record<string, string> {
  return {
    workload: positionals[0] ?? '',
    selector: String(v.selector ?? ''),
    namespace: String(v.namespace ?? ''),
    'expected-digest': String(v.digest ?? ''),
    'digest-file': String(v['digest-file'] ?? ''),
    'build-pod': String(v['build-pod'] ?? ''),
    'build-namespace': String(v['build-namespace'] ?? ''),
    container: String(v.container ?? ''),
    timeout: String(v.timeout ?? ''),
    grace: String(v.grace ?? ''),
    soak: String(v.soak ?? ''),
    // --context a --context b: several clusters, as the input's list.
    context: ((v.context as string[] | undefined) ?? []).join('\n'),
    ...Object.fromEntries([...GITOPS_INPUTS, 'helm-driver', 'revision'].map(i => [i, String(v[i] ?? '')]))
  }
}

/** With --json, progress goes to stderr: stdout holds the report object alone. */
function terminalOut(json: boolean, v: Values): Out {
  const stdout = process.stdout
  return {
    isTTY: Boolean(json ? process.stderr.isTTY : stdout.isTTY),
    columns: (json ? process.stderr.columns : stdout.columns) ?? 100,
    color: Boolean(stdout.isTTY) && !v['no-color'] && !process.env.NO_COLOR,
    write: s => (json ? process.stderr : stdout).write(s)
  }
}

/** Settings from the flags, then the pipeline; an input error is the invalid-input report. */
async function run(
  mode: Mode,
  inputs: Record<string, string>,
  kubeconfig: string | boolean | undefined,
  out: Out
): Promise<Report> {
  const env = process.env
  const status = new StatusLine(out)
  const lines = new StatusLines(out)
  try {
    const settings = readSettings(name => inputs[name] ?? '')
    if (typeof kubeconfig === 'string') settings.kubeconfig = kubeconfigFile(kubeconfig)
    const hooks: ClusterHooks = {
      ...terminalHooks(out, status, mode, settings.contexts !== undefined),
      // Several clusters at a terminal: a live line each; elsewhere each plain line is led by its context.
      ...(out.isTTY ? { forCluster: (context: string) => clusterLine(out, lines, context) } : {})
    }
    if (mode === 'explain' && !settings.gitops)
      // Each cluster's settings are these with one context: they name workloads, not a deploy tool.
      return await acrossClusters(
        settings,
        env,
        hooks,
        async (s, e, h) => (await explain(s as WorkloadSettings, e, h)).report
      )
    return await verifyStep(settings, env, hooks)
  } catch (e) {
    if (!(e instanceof InputError)) throw e
    return inputReport(flagMessage(e), inputs.workload ?? '', inputs.namespace ?? '')
  } finally {
    status.stop()
    lines.stop()
  }
}

/** --kubeconfig names a file: its own errors ("does not exist"), not those of KUBECONFIG. */
function kubeconfigFile(path: string): KubeconfigSource {
  if (path.trim() === '') throw new InputError('kubeconfig', 'is empty', '~/.kube/config')
  return { kind: 'file', path: path.startsWith('~/') ? join(homedir(), path.slice(2)) : path }
}

/** One cluster's live line at a terminal: what it reads, then each change of its state. */
function clusterLine(out: Out, lines: StatusLines, context: string): VerifyHooks {
  return {
    mask: () => undefined,
    onStart: i => lines.set(context, `reading ${i.workload} -n ${i.namespace}`),
    onChange: (h, d) =>
      lines.set(
        context,
        `${paint(out, verdictColor(h.verdict as VerdictName), h.verdict)}  ${h.reason}${d?.finality === 'after-grace' ? ' (provisional, within grace)' : ''}`
      ),
    onStage: (_at, text) => lines.set(context, text)
  }
}

/** Progress on a terminal: one status line, redrawn; elsewhere (CI logs, pipes) one line per change. */
function terminalHooks(out: Out, status: StatusLine, mode: Mode, several: boolean): VerifyHooks {
  return {
    mask: () => undefined, // a terminal has no masker; secrets are never printed in the first place
    onStart: (i: { workload: string; namespace: string; server: string; context: string }) => {
      if (!out.isTTY)
        out.write(
          `kube-verdict: ${mode === 'explain' ? 'reading' : 'verifying'} ${i.workload} in namespace ${i.namespace} on ${oneLine(i.server)}${several ? ` (context ${oneLine(i.context)})` : ''}\n`
        )
      status.start()
      status.set(`reading ${i.workload} -n ${i.namespace}`)
    },
    onChange: (h: HistoryEntry, d?: Diagnosis) => {
      if (out.isTTY)
        status.set(
          `${paint(out, verdictColor(h.verdict), h.verdict)}  ${h.reason}${d?.finality === 'after-grace' ? ' (provisional, within grace)' : ''}`
        )
      else out.write(`${progressLine(h, d)}\n`)
    },
    onStage: (at: number, text: string) => {
      if (out.isTTY) status.set(text)
      else out.write(`[${at.toFixed(1)}s] ${oneLine(text)}\n`)
    },
    onApiError: (m: string) => {
      if (!out.isTTY) out.write(`  (API trouble, retrying: ${oneLine(m, 300)})\n`)
    }
  }
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  e => {
    const reason = `kube-verdict could not finish: ${oneLine((e as Error)?.message ?? String(e))}`
    if (wantsJson(process.argv.slice(2)))
      process.stdout.write(
        JSON.stringify({ ...inputReport('', '', ''), verdict: 'unreachable', reason }, null, 2) + '\n'
      )
    else process.stderr.write(`${reason}\n`)
    process.exit(3)
  }
)
