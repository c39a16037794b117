// An in-memory etcd: objects with a global resourceVersion, a change log that watches replay, compaction.
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { resourceForKind, type ResourceInfo } from './resources.js'
import { nowIso } from './shared/clock.js'
import type { KObject } from './shared/object.js'

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED'
export interface Change {
  rv: number
  type: WatchType
  resource: string
  object: KObject
}

export class Store extends EventEmitter {
  private objects = new Map<string, KObject>()
  private log: Change[] = []
  rv = 1000
  /** Watches from before this resourceVersion get 410 Gone. */
  compactedRv = 0
  private logs = new Map<string, { current: string; previous: string }>()

  private seq = 0

  /** With `deterministic`, uids come from a counter so that fixtures and golden files are stable. */
  constructor(private readonly opts: { deterministic?: boolean } = {}) {
    super()
    this.setMaxListeners(0)
  }

  newUid(): string {
    if (!this.opts.deterministic) return randomUUID()
    const n = (++this.seq).toString(16).padStart(12, '0')
    return `00000000-0000-4000-8000-${n}`
  }

  private key(resource: string, ns: string | undefined, name: string): string {
    return `${resource}/${ns ?? ''}/${name}`
  }

  /** Writes an object as the API server would: resourceVersion, uid, creationTimestamp, generation. */
  put(obj: KObject, as?: string): KObject {
    const r = resourceForKind(as ?? obj.kind!)
    const k = this.key(r.plural, obj.metadata.namespace, obj.metadata.name)
    const prev = this.objects.get(k)
    const copy: KObject = structuredClone(obj)
    copy.apiVersion = r.group ? `${r.group}/${r.version}` : r.version
    if (r.servedKind) copy.kind = r.servedKind
    copy.metadata.uid = prev?.metadata.uid ?? copy.metadata.uid ?? this.newUid()
    copy.metadata.creationTimestamp =
      prev?.metadata.creationTimestamp ?? copy.metadata.creationTimestamp ?? nowIso()
    if (hasGeneration(r)) {
      const specChanged = !prev || JSON.stringify(prev.spec) !== JSON.stringify(copy.spec)
      copy.metadata.generation = (prev?.metadata.generation ?? 0) + (specChanged ? 1 : 0)
    }
    copy.metadata.resourceVersion = String(++this.rv)
    this.objects.set(k, copy)
    this.record(prev ? 'MODIFIED' : 'ADDED', r.plural, copy)
    return structuredClone(copy)
  }

  delete(kind: string, ns: string | undefined, name: string): boolean {
    const r = resourceForKind(kind)
    const k = this.key(r.plural, ns, name)
    const prev = this.objects.get(k)
    if (!prev) return false
    this.objects.delete(k)
    const gone = structuredClone(prev)
    gone.metadata.resourceVersion = String(++this.rv)
    this.record('DELETED', r.plural, gone)
    return true
  }

  private record(type: WatchType, resource: string, object: KObject): void {
    const change: Change = { rv: this.rv, type, resource, object }
    this.log.push(change)
    this.emit('change', change)
  }

  get(resource: string, ns: string | undefined, name: string): KObject | undefined {
    const o = this.objects.get(this.key(resource, ns, name))
    return o && structuredClone(o)
  }

  find(kind: string, ns: string | undefined, name: string): KObject | undefined {
    return this.get(resourceForKind(kind).plural, ns, name)
  }

  /** Objects of a resource, optionally in one namespace, in key order (the API server lists in key order). */
  list(resource: string, ns: string | undefined): KObject[] {
    const prefix = ns === undefined ? `${resource}/` : `${resource}/${ns}/`
    const out: KObject[] = []
    for (const [k, v] of this.objects) if (k.startsWith(prefix)) out.push(v)
    return out.sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
  }

  changesSince(rv: number): Change[] {
    return this.log.filter(c => c.rv > rv)
  }

  /** Drops the change log: watches from older resourceVersions now get 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv
    this.log = []
  }

  appendLog(ns: string, pod: string, container: string, text: string): void {
    const k = `${ns}/${pod}/${container}`
    const cur = this.logs.get(k) ?? { current: '', previous: '' }
    cur.current += text.endsWith('\n') ? text : text + '\n'
    this.logs.set(k, cur)
  }

  /** A container restart: the current log becomes the previous one. */
  rotateLog(ns: string, pod: string, container: string): void {
    const k = `${ns}/${pod}/${container}`
    const cur = this.logs.get(k) ?? { current: '', previous: '' }
    this.logs.set(k, { current: '', previous: cur.current })
  }

  readLog(ns: string, pod: string, container: string, previous: boolean): string | undefined {
    const l = this.logs.get(`${ns}/${pod}/${container}`)
    if (!l) return undefined
    return previous ? l.previous : l.current
  }
}

function keyOf(o: KObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`
}

function hasGeneration(r: ResourceInfo): boolean {
  return r.group !== ''
}
