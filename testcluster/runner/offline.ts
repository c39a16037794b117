// A documented workflow as the test runs it: only the steps that need the internet are swapped. Registry login
// and buildx go; the build-and-push step becomes one that writes the digest the test world's registry serves; a
// checkout of another repository goes, and the step that pushes to it (id `push`) writes the commit the world's
// Argo CD or Flux then applies. Everything else (credentials, kubectl, helm, kube-verdict, the jobs gated on its
// outputs) runs as written.
import { YAMLMap, YAMLSeq, isMap, parseDocument } from 'yaml'

export interface OfflineValues {
  /** What the build step's `digest` output says. */
  digest?: string
  /** What the config-repository push step's `sha` output says. */
  sha?: string
  /** A directory on this machine that stands in for the run's artifact storage (upload-artifact, download-artifact). */
  artifacts?: string
}

export interface OfflineWorkflow {
  text: string
  /** What was swapped, step by step ("docker/login-action@v3: dropped"), so a test can say nothing else was. */
  swapped: string[]
}

/** Need the internet: a registry, or an action's download. The runner's own Node 24 is on PATH (act.ts). */
const DROPPED = [
  /^docker\/login-action@/,
  /^docker\/setup-buildx-action@/,
  /^actions\/setup-node@/,
  /^actions\/setup-go@/,
  /^actions\/cache@/,
  /^azure\/setup-kubectl@/
]

export function offline(workflow: string, v: OfflineValues): OfflineWorkflow {
  const doc = parseDocument(workflow)
  const swapped: string[] = []
  const jobs = doc.get('jobs') as YAMLMap<string, YAMLMap>
  for (const job of jobs.items) {
    const steps = job.value?.get('steps') as YAMLSeq<YAMLMap> | undefined
    if (!steps) continue
    steps.items = steps.items.flatMap(step => {
      if (!isMap(step)) return [step]
      const uses = String(step.get('uses') ?? '')
      const id = String(step.get('id') ?? '')
      const withRepo = (step.get('with') as YAMLMap | undefined)?.get('repository')
      const run = String(step.get('run') ?? '')
      if (run === 'npm ci') {
        swapped.push('npm ci: dropped (node_modules of the checkout is linked)')
        return []
      }
      if (DROPPED.some(r => r.test(uses)) || (/^actions\/checkout@/.test(uses) && withRepo)) {
        swapped.push(`${uses}${withRepo ? ` (${String(withRepo)})` : ''}: dropped`)
        return []
      }
      const write = (name: string, value: string | undefined, what: string): YAMLMap => {
        if (!value) throw new Error(`offline: step ${id || uses} needs a ${name} value`)
        swapped.push(`${uses || `id ${id}`}: writes ${name}=${value}`)
        return doc.createNode({
          id,
          name: `${what} (offline: ${name} from the test world)`,
          run: `echo "${name}=${value}" >> "$GITHUB_OUTPUT"`
        })
      }
      if (/^docker\/build-push-action@/.test(uses)) return [write('digest', v.digest, 'build and push')]
      if (/^actions\/(upload|download)-artifact@/.test(uses))
        return [artifactStep(doc, step, uses, v, swapped)]
      if (id === 'push' && !uses) return [write('sha', v.sha, 'push to the config repository')]
      return [step]
    })
  }
  return { text: doc.toString({ lineWidth: 0 }), swapped }
}

/**
 * The artifact service is GitHub's: an upload copies into `v.artifacts`/NAME, a download copies every artifact the
 * pattern names into its path (merge-multiple), as the real actions would hand the files on between jobs.
 */
function artifactStep(
  doc: ReturnType<typeof parseDocument>,
  step: YAMLMap,
  uses: string,
  v: OfflineValues,
  swapped: string[]
): YAMLMap {
  if (!v.artifacts) throw new Error(`offline: ${uses} needs an artifacts directory`)
  const w = step.get('with') as YAMLMap
  const get = (k: string): string => String(w.get(k) ?? '')
  const upload = uses.startsWith('actions/upload-artifact@')
  swapped.push(`${uses}: copies ${upload ? 'into' : 'from'} the test's artifact directory`)
  const run = upload
    ? `mkdir -p "${v.artifacts}/${get('name')}" && cp ${get('path')} "${v.artifacts}/${get('name')}/"`
    : `mkdir -p "${get('path')}" && cp "${v.artifacts}"/${get('pattern')}/* "${get('path')}/"`
  return doc.createNode({ name: `${uses} (offline)`, run })
}
