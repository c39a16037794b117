// The line of the applied YAML that needs the change: `image:` for image-pull and stale, resources for
// Insufficient cpu/memory, nodeSelector/affinity, tolerations, the Secret/ConfigMap reference, readinessProbe, and
// livenessProbe/startupProbe for a container the kubelet kills.
// Multi-document files (kubectl, Kustomize and Helm output) included; source positions come from the parser.
import { globSync, readFileSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Document, type Node } from 'yaml'
import { KINDS, kindOfManifest, manifestMatches, nameOf } from '../kinds/registry.js'
import type { WorkloadRef } from '../refs.js'
import type { Finding } from '../verdict/types.js'

interface ManifestDoc {
  file: string
  doc: Document.Parsed
  lines: LineCounter
}

export interface Location {
  file: string
  startLine: number
}

export interface Manifests {
  locate: (f: Finding) => Location | undefined
  files: string[]
  problems: string[]
}

const MAX_FILE = 5 * 1024 * 1024

/** Each finding is located in the document of the workload it belongs to. */
export function loadManifests(
  patterns: string[],
  workspace: string,
  workloads: WorkloadRef[],
  namespace: string,
  container?: string
): Manifests {
  const problems: string[] = []
  const files = new Set<string>()
  for (const p of patterns) {
    const hits = globSync(p, { cwd: workspace }).map(f => (isAbsolute(f) ? f : resolve(workspace, f)))
    if (hits.length === 0) problems.push(`manifests: "${p}" matches no file`)
    hits.forEach(h => files.add(h))
  }
  const docs: ManifestDoc[] = []
  for (const file of files) {
    let text: string
    try {
      const buf = readFileSync(file)
      if (buf.length > MAX_FILE) {
        problems.push(`manifests: ${relative(workspace, file)} is over 5 MiB; skipped`)
        continue
      }
      text = buf.toString('utf8')
    } catch (e) {
      problems.push(
        `manifests: ${relative(workspace, file)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`
      )
      continue
    }
    const lines = new LineCounter()
    for (const doc of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false })) {
      if ('errors' in doc && doc.errors.length === 0)
        docs.push({ file: relative(workspace, file), doc, lines })
    }
  }
  const targets = new Map<string, ManifestDoc>()
  for (const w of workloads) {
    const target = docs.find(d => isDocOf(d, w, namespace))
    if (target) targets.set(nameOf(w), target)
    else if (docs.length > 0) problems.push(`manifests: no ${nameOf(w)} in ${files.size} file(s)`)
  }
  return {
    locate: f => {
      const target = targets.get(nameOf(f.workload))
      return target ? locateIn(target, f, container) : undefined
    },
    files: [...files].map(f => relative(workspace, f)),
    problems
  }
}

function isDocOf(d: ManifestDoc, w: WorkloadRef, namespace: string): boolean {
  const ns = d.doc.getIn(['metadata', 'namespace'])
  return (
    manifestMatches(w, String(d.doc.getIn(['apiVersion']) ?? ''), String(d.doc.getIn(['kind']) ?? '')) &&
    d.doc.getIn(['metadata', 'name']) === w.name &&
    (ns === undefined || ns === namespace)
  )
}

const POD = ['spec', 'template', 'spec']

function lineOf(d: ManifestDoc, node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range
  return range ? d.lines.linePos(range[0]).line : undefined
}

/** The line of the key itself (`image:`), found through the pair that holds the path's last key. */
function keyLine(d: ManifestDoc, path: (string | number)[]): number | undefined {
  const parent = d.doc.getIn(path.slice(0, -1), true)
  const last = path[path.length - 1]
  if (isMap(parent)) {
    const pair = parent.items.find(p => isScalar(p.key) && p.key.value === last)
    if (pair) return lineOf(d, pair.key)
  }
  if (isSeq(parent) && typeof last === 'number') return lineOf(d, parent.items[last])
  return undefined
}

function firstExisting(d: ManifestDoc, paths: (string | number)[][]): number | undefined {
  for (const p of paths) {
    if (d.doc.hasIn(p)) {
      const l = keyLine(d, p)
      if (l !== undefined) return l
    }
  }
  return undefined
}

function containerIndex(d: ManifestDoc, name: string | undefined): number {
  const list = d.doc.getIn([...POD, 'containers'])
  const items = isSeq(list) ? list.items : []
  const i = items.findIndex(c => isMap(c) && c.get('name') === name)
  return i >= 0 ? i : 0
}

/** Where the pod spec names `name` as a Secret or ConfigMap. */
function referenceLine(d: ManifestDoc, name: string): number | undefined {
  let found: number | undefined
  const walk = (node: unknown, path: string[]): void => {
    if (found !== undefined) return
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : ''
        if (
          isScalar(pair.value) &&
          pair.value.value === name &&
          ['name', 'secretName'].includes(key) &&
          path.some(p => /secret|configMap/i.test(p))
        ) {
          found = lineOf(d, pair.value)
          return
        }
        walk(pair.value, [...path, key])
      }
    } else if (isSeq(node)) node.items.forEach(i => walk(i, path))
  }
  walk(d.doc.getIn(POD, true), [])
  return found
}

function containerCount(d: ManifestDoc): number {
  const list = d.doc.getIn([...POD, 'containers'])
  return isSeq(list) ? list.items.length : 0
}

function locateIn(d: ManifestDoc, f: Finding, container?: string): Location | undefined {
  const named = f.container ?? container
  // Without a container name, the first container that has the field is the one to change.
  const indexes =
    named !== undefined ? [containerIndex(d, named)] : Array.from({ length: containerCount(d) }, (_, i) => i)
  for (const i of indexes.length > 0 ? indexes : [0]) {
    const line = locateInContainer(d, f, [...POD, 'containers', i])
    if (line !== undefined) return { file: d.file, startLine: line }
  }
  return undefined
}

/** Where the scheduler's first reason is fixed: the container's requests, tolerations, affinity or volumes. */
function schedulingLine(d: ManifestDoc, causes: Set<string>, c: (string | number)[]): number | undefined {
  if (causes.has('resources'))
    return firstExisting(d, [
      [...c, 'resources', 'requests'],
      [...c, 'resources']
    ])
  if (causes.has('taint')) return firstExisting(d, [[...POD, 'tolerations'], [...POD, 'nodeSelector'], POD])
  if (causes.has('node-affinity') || causes.has('pod-affinity'))
    return firstExisting(d, [
      [...POD, 'affinity'],
      [...POD, 'nodeSelector']
    ])
  if (causes.has('volume')) return firstExisting(d, [[...POD, 'volumes']])
  return undefined
}

function locateInContainer(d: ManifestDoc, f: Finding, c: (string | number)[]): number | undefined {
  switch (f.cause) {
    case 'image-pull':
    case 'invalid-image':
    case 'digest-mismatch':
      return firstExisting(d, [[...c, 'image']])
    case 'unschedulable':
      return schedulingLine(d, new Set(f.facts.reasons.map(r => r.cause)), c)
    case 'missing-config':
      // The kubelet may write the Secret as namespace/name.
      return referenceLine(d, f.facts.name.split('/').pop()!)
    case 'probe':
      return firstExisting(
        d,
        f.facts.probe === 'Startup'
          ? [[...c, 'startupProbe']]
          : [
              [...c, 'readinessProbe'],
              [...c, 'livenessProbe']
            ]
      )
    case 'crash':
      if (f.facts.killedBy)
        return firstExisting(d, [
          [...c, f.facts.killedBy.probe === 'Liveness' ? 'livenessProbe' : 'startupProbe']
        ])
      return f.facts.reason === 'OOMKilled'
        ? firstExisting(d, [
            [...c, 'resources', 'limits', 'memory'],
            [...c, 'resources']
          ])
        : undefined
    case 'replaced':
      return f.facts.resource === 'memory'
        ? firstExisting(d, [
            [...c, 'resources', 'requests', 'memory'],
            [...c, 'resources']
          ])
        : undefined
    case 'pod-failed':
    case 'create-container':
    case 'volume':
    case 'replica-failure':
    case 'sandbox':
    case 'on-delete':
    case 'build':
    case 'controller':
    case 'awaiting-build': // the image line is right: the build has not pushed it yet
      return undefined
  }
}

/** The workloads the applied YAML holds, as `workload` input lines: the list when `workload` is not given. */
export function workloadsIn(patterns: string[], workspace: string): string[] {
  const out: string[] = []
  for (const p of patterns) {
    for (const f of globSync(p, { cwd: workspace })) {
      let text: string
      try {
        text = readFileSync(isAbsolute(f) ? f : resolve(workspace, f), 'utf8')
      } catch {
        continue
      }
      for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
        if (doc.errors.length > 0) continue
        const kind = String(doc.getIn(['kind']) ?? '')
        const api = String(doc.getIn(['apiVersion']) ?? '')
        const name = doc.getIn(['metadata', 'name'])
        if (typeof name !== 'string') continue
        const known = kindOfManifest(api, kind)
        const k = known ? KINDS[known].noun : undefined
        if (k && !out.includes(`${k}/${name}`)) out.push(`${k}/${name}`)
      }
    }
  }
  return out
}
