// Who acts next, and the exact command or object where one fits: the verdict's row of the table (`next`, `actor`)
// fed with the report's structured fields. Renderers get words and code apart, never markup to parse again.
import { kindOf, nameOf } from '../kinds/registry.js'
import { TOOL_TITLE, type GitopsReport } from '../gitops/stage.js'
import { soakEnd, type Code, type StepContext } from '../verdict/steps.js'
import { VERDICT } from '../verdict/table.js'
import type { Finding } from '../verdict/types.js'
import type { Report } from './report.js'

/** A piece of the next step: words (who acts said in them), or code (a command, an input's name, an image). */
export type Segment = { text: string } | Code

/** The workload a verdict is about: the top finding's, else the one of the step's workloads that has it. */
function workloadOf(r: Report, top: Finding | undefined): string {
  if (top) return nameOf(top.workload)
  return r.workloads?.find(w => w.verdict === r.verdict)?.workload ?? r.workload
}

/** Where to read the deploy tool's own account. */
const INSPECT: Record<GitopsReport['tool'], (g: GitopsReport) => string> = {
  helm: g => `helm history ${g.name} -n ${g.namespace}`,
  argocd: g => `argocd app get ${g.namespace}/${g.name}`,
  'flux-kustomization': g => `flux get kustomizations ${g.name} -n ${g.namespace}`,
  'flux-helmrelease': g => `flux get helmreleases ${g.name} -n ${g.namespace}`
}

function contextOf(r: Report): StepContext {
  const top = r.findings.find(f => f.verdict === r.verdict)
  const target = top && {
    name: top.workload.name,
    label: nameOf(top.workload),
    namespace: r.namespace
  }
  const commands = top ? kindOf(top.workload).commands : undefined
  const restart = target && commands?.restart?.(target)
  const g = r.gitops
  const idle = r.workloads
    ? r.workloads.filter(w => w.nothingRan).map(w => w.workload)
    : r.nothingRan
      ? [r.workload]
      : []
  return {
    namespace: r.namespace,
    ...(top ? { top } : {}),
    pod: top?.pod ?? '<pod>',
    workload: workloadOf(r, top),
    ...(restart ? { restart } : {}),
    ...(target && commands?.setImage
      ? { setImage: (container: string, image: string) => commands.setImage?.(target, container, image) }
      : {}),
    ...(g
      ? {
          tool: {
            title: TOOL_TITLE[g.tool],
            inspect: INSPECT[g.tool](g),
            kind: g.tool,
            applied: g.applied !== undefined,
            ...(g.wanted ? { wanted: g.wanted } : {}),
            ...(g.supersededBy ? { supersededBy: g.supersededBy } : {}),
            falseAlarm: g.falseAlarm !== undefined
          }
        }
      : {}),
    idle,
    ran: r.workloads ? r.workloads.length > idle.length : idle.length === 0,
    built: r.built !== undefined,
    ...(r.soak ? { soak: r.soak } : {})
  }
}

/** The next step as words and code, who acts said in the words; adjacent words joined. */
export function nextStepOf(r: Report): Segment[] {
  // Several clusters: the first one with the step's verdict says what to do, on that cluster.
  const cluster = r.clusters?.find(c => c.verdict === r.verdict)
  if (cluster) return [{ text: `On ${cluster.context} — ` }, ...nextStepOf(cluster)]
  const facts = VERDICT[r.verdict]
  const context = contextOf(r)
  const out: Segment[] = []
  // A soak's end speaks first where the verdict's usual words would not fit.
  for (const [i, part] of (soakEnd(context) ?? facts.next(context)).entries()) {
    if (typeof part === 'object' && 'code' in part) {
      out.push(part)
      continue
    }
    // Who acts opens the sentence capitalised (`App team: …`), or stands in it as written.
    const who = i === 0 ? facts.actor.charAt(0).toUpperCase() + facts.actor.slice(1) : facts.actor
    const text = typeof part === 'string' ? part : who
    const last = out.at(-1)
    if (last && 'text' in last) last.text += text
    else out.push({ text })
  }
  return out
}

/** Plain text, commands in `backticks` (the annotation, the log). */
export function plainStep(step: Segment[]): string {
  return step.map(s => ('text' in s ? s.text : `\`${s.code}\``)).join('')
}

export function nextStep(r: Report): string {
  return plainStep(nextStepOf(r))
}
