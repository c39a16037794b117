// Every story the stand-in tells, by name, for `npm run cluster` (a person trying the CLI by hand): under their
// slugs (as the golden summaries are named), a verdict name for the first story with that verdict, and two short
// names: the seeds' story and a plain rolling update.
import { standInStories } from './index.js'
import { ROLLING_UPDATE, SEEDS } from './recorded.js'
import type { Scenario } from './stand-in.js'
import { slug } from './story.js'

export interface CatalogEntry {
  name: string
  title: string
  scenario: () => Scenario
  /** The inputs a workflow would pass (without kubeconfig). */
  inputs: Record<string, string>
  /** What the suite expects kube-verdict to say. */
  expect: string
}

export function catalog(): CatalogEntry[] {
  const stories = standInStories()
  const entry = (c: (typeof stories)[number], name = slug(c.name)): CatalogEntry => ({
    name,
    title: c.name,
    scenario: c.scenario,
    inputs: c.inputs,
    expect: c.expect
  })
  // Two short names for the stories a person tries first.
  const extra = [
    ['seeds', SEEDS],
    ['rolling', ROLLING_UPDATE]
  ].map(([name, story]) =>
    entry(
      stories.find(c => c.name === story)!,
      name
    )
  )
  return [...extra, ...stories.map(c => entry(c))]
}

/**
 * A story by name: an exact name, a verdict (the first story with it: `crash-loop`, `image-pull`), or a part
 * of one name only (`oom`, `knative-service-serves`). Otherwise an error that lists the valid names.
 */
export function findStory(query: string): CatalogEntry {
  const all = catalog()
  const q = slug(query)
  const exact = all.find(e => e.name === q)
  if (exact) return exact
  const byVerdict = all.find(e => e.expect === q && e.name.startsWith(`${q}-`))
  if (byVerdict) return byVerdict
  const partial = all.filter(e => e.name.includes(q))
  if (q !== '' && partial.length === 1) return partial[0]!
  const list = (partial.length > 1 ? partial : all).map(e => `  ${e.name}`).join('\n')
  throw new Error(
    `${partial.length > 1 ? `story "${query}" matches ${partial.length}; one of` : `unknown story "${query}"; one of`} (or a verdict, e.g. crash-loop):\n${list}`
  )
}

const FLAGS: Record<string, string> = {
  namespace: '-n',
  selector: '-l',
  'expected-digest': '--digest',
  'digest-file': '--digest-file',
  'build-pod': '--build-pod',
  'build-namespace': '--build-namespace',
  container: '--container',
  timeout: '--timeout',
  grace: '--grace'
}

/** The CLI command that verifies the scenario as its case does. */
export function cliCommand(inputs: Record<string, string>): string {
  const quote = (s: string): string => (/^[\w./:@=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)
  const args = inputs.workload ? [inputs.workload.split(/[\n,]/)[0]!.trim()] : []
  for (const [k, v] of Object.entries(inputs)) if (FLAGS[k] && v) args.push(FLAGS[k]!, quote(v))
  return `npx kube-verdict ${args.join(' ')}`
}
