// The CLI's own words: an input's error said with its flag, and Node's argument-parser errors in the same style.
import type { InputError } from './errors.js'
import { oneLine } from './report/safe.js'
import { VERDICT, isVerdict } from './verdict/table.js'
import { VERDICTS, type DecisionName, type VerdictName } from './verdict/types.js'

export const FLAG_OF: Record<string, string> = {
  workload: 'KIND/NAME',
  selector: '--selector',
  namespace: '--namespace',
  'expected-digest': '--digest',
  'digest-file': '--digest-file',
  'build-pod': '--build-pod',
  'build-namespace': '--build-namespace',
  container: '--container',
  timeout: '--timeout',
  grace: '--grace',
  soak: '--soak',
  kubeconfig: '--kubeconfig',
  context: '--context',
  'helm-release': '--helm-release',
  'helm-driver': '--helm-driver',
  'argocd-application': '--argocd-application',
  'flux-kustomization': '--flux-kustomization',
  'flux-helmrelease': '--flux-helmrelease',
  revision: '--revision'
}

/** A valid value for each flag, for the examples in errors (the action's examples do not all fit a terminal). */
const FLAG_EXAMPLE: Record<string, string> = {
  '--namespace': 'shop',
  '--selector': 'app=web',
  '--digest': 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  '--digest-file': './digest',
  '--build-pod': 'job-name=build-42',
  '--build-namespace': 'ci',
  '--container': 'web',
  '--timeout': '5m',
  '--grace': '15s',
  '--soak': '60s',
  '--kubeconfig': '~/.kube/config',
  '--context': 'prod',
  '--helm-release': 'web',
  '--helm-driver': 'secret',
  '--argocd-application': 'argocd/shop',
  '--flux-kustomization': 'flux-system/apps',
  '--flux-helmrelease': 'flux-system/web',
  '--revision': '9a8b7c6',
  '--json': '',
  '--no-color': '',
  '--help': '',
  '--version': ''
}

/** An input's error in the CLI's words: flags for inputs (also inside the sentence), examples a shell takes. */
export function flagMessage(e: InputError): string {
  const flag = FLAG_OF[e.input] ?? e.input
  const problem = e.problem.replace(/'([a-z-]+)'/g, (m, name: string) => FLAG_OF[name] ?? m)
  const example =
    flag === 'KIND/NAME'
      ? e.example
      : `${flag} ${/\$\{\{/.test(e.example) ? (FLAG_EXAMPLE[flag] ?? e.example) : e.example}`
  return `${flag} ${problem}. Example: ${example}`
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = here
    }
  }
  return row[b.length]!
}

/** Node's argument-parser errors (ERR_PARSE_ARGS_*), said the way every other error of the CLI is. */
export function argumentError(e: Error & { code?: string }): string {
  const m = e.message
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const opt = /^Unknown option '(.*?)'(\. To specify|$)/s.exec(m)?.[1] ?? m
    const name = opt.split('=')[0]!.replace(/[^\w-]/g, '')
    const near = Object.keys(FLAG_EXAMPLE)
      .map(f => [f, distance(name, f)] as const)
      .sort((x, y) => x[1] - y[1])[0]!
    const suggest = near[1] <= 2 ? near[0] : undefined
    return `unknown option ${JSON.stringify(opt)}${suggest ? `; did you mean ${suggest}?` : ''} (a workload name starting with '-' goes after --). Example: kube-verdict deployment/web -n shop${suggest && FLAG_EXAMPLE[suggest] ? ` ${suggest} ${FLAG_EXAMPLE[suggest]}` : ''}`
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /use '(--[\w-]+)=/.exec(m)?.[1] ?? /Option '(?:-\w, )?(--[\w-]+)/.exec(m)?.[1] ?? ''
    const ex = FLAG_EXAMPLE[flag] ?? ''
    if (/does not take an argument/.test(m)) return `${flag} takes no value. Example: ${flag}`
    if (/ambiguous/.test(m))
      return `${flag} needs a value, and the next argument starts with '-' (a value that does is written ${flag}=-…). Example: ${flag} ${ex}`
    return `${flag} needs a value. Example: ${flag} ${ex}`
  }
  return oneLine(m)
}

/** The help's exit codes, from the table: each code with its verdicts, and the verdict `explain` ends not done as. */
export function exitCodeLines(width = 120): string {
  const byCode = new Map<number, VerdictName[]>()
  for (const v of VERDICTS) byCode.set(VERDICT[v].exitCode, [...(byCode.get(VERDICT[v].exitCode) ?? []), v])
  const states = (Object.keys(VERDICT) as DecisionName[]).filter(d => !isVerdict(d))
  const lines: string[] = []
  for (const [code, verdicts] of [...byCode].sort(([a], [b]) => a - b)) {
    const ending = verdicts.some(v => states.some(d => VERDICT[d].endsAs === v))
      ? ' (explain: not done yet)'
      : ''
    const words =
      verdicts.length > 1 ? `a failure verdict: ${verdicts.join(', ')}` : `${verdicts[0]}${ending}`
    lines.push(...wrap(`  ${code}  `, words.split(' '), width))
  }
  return lines.join('\n')
}

/** Words after a prefix, in lines of at most `width`; the next lines indented as far as the prefix. */
function wrap(prefix: string, words: string[], width: number): string[] {
  const lines: string[] = []
  let line = prefix
  for (const word of words) {
    const start = line === prefix
    if (!start && line.length + 1 + word.length > width) {
      lines.push(line)
      line = ' '.repeat(prefix.length) + word
    } else line += (start ? '' : ' ') + word
  }
  return [...lines, line]
}
