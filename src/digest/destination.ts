// Where a build pod will push, read from its command line: Kaniko's `--destination` (`-d`), BuildKit's
// `--output type=image,name=…,push=true` (`-o`, `type=registry`). The decision uses it to tell a pull failure the
// build causes (its image is not pushed yet) from a failure of the workload's own.
import type { Container, Pod } from '../kube/types.js'
import { parseImageReference, type ImageReference } from './digest.js'

/** Kubernetes' `$(VAR)` expansion of command and args from the container's literal env values. */
function expand(arg: string, env: Map<string, string>): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][\w.-]*)\)/g, (whole, name: string | undefined) =>
    name === undefined ? '$' : (env.get(name) ?? whole)
  )
}

/** Splits `type=image,"name=a:1,b:1",push=true` into fields, as BuildKit's CSV reader does. */
function csvFields(value: string): string[] {
  const out: string[] = []
  let field = ''
  let quoted = false
  for (const ch of value) {
    if (ch === '"') quoted = !quoted
    else if (ch === ',' && !quoted) {
      out.push(field)
      field = ''
    } else field += ch
  }
  out.push(field)
  return out
}

/** The images one BuildKit output pushes: none unless it is an image pushed to a registry. */
function buildkitOutput(value: string): string[] | undefined {
  const attrs = new Map<string, string>()
  for (const f of csvFields(value)) {
    const eq = f.indexOf('=')
    if (eq > 0) attrs.set(f.slice(0, eq).trim(), f.slice(eq + 1).trim())
  }
  const type = attrs.get('type')
  if (!type) return undefined
  const pushed = type === 'registry' || (type === 'image' && attrs.get('push') === 'true')
  return pushed ? (attrs.get('name') ?? '').split(',').filter(n => n.trim() !== '') : []
}

type Read = { images: string[] } | 'unreadable' | 'none'

function fromContainer(c: Container): Read {
  const env = new Map((c.env ?? []).flatMap(e => (e.value !== undefined ? [[e.name, e.value]] : [])))
  // A shell script (`sh -c "… --destination=…"`) is read word by word.
  const words = [...(c.command ?? []), ...(c.args ?? [])]
    .map(a => expand(a, env))
    .flatMap(a => a.split(/\s+/))
    .map(w => w.replace(/^(["'])(.*)\1$/, '$2'))
    .filter(w => w !== '')
  const images: string[] = []
  let said = false
  let noPush = false
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    const kaniko = /^(?:--destination|-d)(?:=(.*))?$/.exec(w)
    const buildkit = /^(?:--output|-o)(?:=(.*))?$/.exec(w)
    if (w === '--no-push') noPush = true
    if (!kaniko && !buildkit) continue
    const value = (kaniko ?? buildkit)![1] ?? words[++i] ?? ''
    if (value.includes('$')) return 'unreadable'
    if (kaniko) {
      // `-d` means other things to other programs: only an image reference counts.
      if (!parseImageReference(value)) continue
      images.push(value)
      said = true
    } else {
      const names = buildkitOutput(value)
      if (!names) continue
      if (names.some(n => n.includes('$'))) return 'unreadable'
      images.push(...names)
      said = true
    }
  }
  if (!said) return 'none'
  return { images: noPush ? [] : images }
}

/**
 * The images the build pod pushes (`reg.io/shop/web:1.4.2`, as written), or undefined when its command line does
 * not say: another build tool, a destination in a variable the pod's env does not hold, a script it reads.
 * An empty list: it pushes nothing (`--no-push`, a local output).
 */
export function buildDestinations(pod: Pod): ImageReference[] | undefined {
  const reads = (pod.spec?.containers ?? []).map(fromContainer)
  if (reads.includes('unreadable')) return undefined
  const said = reads.filter((r): r is { images: string[] } => typeof r === 'object')
  if (said.length === 0) return undefined
  return said.flatMap(r =>
    r.images.map(parseImageReference).filter((x): x is ImageReference => x !== undefined)
  )
}
