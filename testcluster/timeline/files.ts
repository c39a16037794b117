// The committed timelines: one JSON file per story, one entry per line so that a re-recording's diff reads as
// what changed in the story. An object's first write is whole; each later one is stored as its change from the
// version before (most writes are a status field or two), and reading the file puts the whole objects back.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { KObject } from '../shared/object.js'
import type { Entry, Timeline } from './timeline.js'

/** An entry as the file holds it: a whole object, a change to the last version of `of`, or its deletion. */
type Stored =
  | { at: number; op: 'put'; obj: KObject }
  | { at: number; op: 'change'; of: string; change: Change }
  | { at: number; op: 'delete'; of: string }

/**
 * The fields that differ, recursively: a nested object is the change of that field; a field replaced by another
 * object is `{ $value }`; a list of objects of the same length is `{ $items }`, the changes of its items by
 * index; other lists are replaced whole; a removed field is DELETED.
 */
type Change = { [k: string]: unknown }
const DELETED = { $deleted: true }

export const RECORDED = join(dirname(fileURLToPath(import.meta.url)), 'recorded')

export function formatTimeline(t: Timeline): string {
  const { entries: whole, logs, ...head } = t
  const entries = compact(whole)
  const fields = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
  const list = (xs: unknown[]): string => xs.map(x => `    ${JSON.stringify(x)}`).join(',\n')
  return [
    '{',
    ...fields,
    `  "entries": [\n${list(entries)}\n  ],`,
    `  "logs": [\n${list(logs)}\n  ]`,
    '}',
    ''
  ].join('\n')
}

/** A committed timeline by its file name under recorded/ (`.json` may be left off). */
export function recorded(file: string): Timeline {
  return parseTimeline(readFileSync(join(RECORDED, file.endsWith('.json') ? file : `${file}.json`), 'utf8'))
}

/** Every recorded timeline, by file name. */
export function recordedTimelines(): { file: string; timeline: Timeline }[] {
  let files: string[]
  try {
    files = readdirSync(RECORDED).filter(f => f.endsWith('.json'))
  } catch {
    return []
  }
  return files.sort().map(file => ({ file, timeline: recorded(file) }))
}

export function parseTimeline(text: string): Timeline {
  const t = JSON.parse(text) as Omit<Timeline, 'entries'> & { entries: Stored[] }
  return { ...t, entries: expand(t.entries) }
}

const keyOf = (o: KObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`

function compact(entries: Entry[]): Stored[] {
  const last = new Map<string, KObject>()
  return entries.map(e => {
    const of = keyOf(e.obj)
    const before = last.get(of)
    if (e.op === 'delete') {
      last.delete(of)
      return { at: e.at, op: 'delete', of }
    }
    last.set(of, e.obj)
    return before && ordered(before, e.obj)
      ? { at: e.at, op: 'change', of, change: diff(before, e.obj) }
      : { at: e.at, op: 'put', obj: e.obj }
  })
}

function expand(stored: Stored[]): Entry[] {
  const last = new Map<string, KObject>()
  return stored.map(s => {
    if (s.op === 'put') {
      last.set(keyOf(s.obj), s.obj)
      return s
    }
    const before = last.get(s.of)
    if (!before) throw new Error(`timeline: ${s.op} of ${s.of}, which was never written`)
    if (s.op === 'delete') {
      last.delete(s.of)
      return { at: s.at, op: 'delete', obj: before }
    }
    const obj = apply(before, s.change) as KObject
    last.set(s.of, obj)
    return { at: s.at, op: 'put', obj }
  })
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Whether applying a change to `a` gives `b`'s key order (kept fields, then new ones): the Store compares specs as
 * JSON text to count generations, so a replayed object must be the recorded one to the order of its keys.
 */
function ordered(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const kept = [...Object.keys(a).filter(k => k in b), ...Object.keys(b).filter(k => !(k in a))]
  return kept.join('\u0000') === Object.keys(b).join('\u0000')
}

function diff(a: Record<string, unknown>, b: Record<string, unknown>): Change {
  const out: Change = {}
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = DELETED
  for (const [k, v] of Object.entries(b)) {
    const was = a[k]
    if (isObject(was) && isObject(v) && ordered(was, v)) {
      const d = diff(was, v)
      if (Object.keys(d).length > 0) out[k] = d
    } else if (Array.isArray(was) && Array.isArray(v) && was.length === v.length && v.every(isObject)) {
      // A list of conditions or container statuses where one item changed: that item's change only.
      const items: Change = {}
      v.forEach((item, i) => {
        const before = was[i] as unknown
        if (JSON.stringify(before) === JSON.stringify(item)) return
        items[i] = isObject(before) && ordered(before, item) ? diff(before, item) : { $value: item }
      })
      if (Object.keys(items).length > 0) out[k] = { $items: items }
    } else if (JSON.stringify(was) !== JSON.stringify(v)) out[k] = isObject(v) ? { $value: v } : v
  }
  return out
}

function applyItems(list: unknown[], items: Change): unknown[] {
  return list.map((item, i) => {
    const c = items[i]
    if (c === undefined) return item
    return isObject(c) && '$value' in c ? c.$value : apply(item as Record<string, unknown>, c as Change)
  })
}

function apply(a: Record<string, unknown>, change: Change): Record<string, unknown> {
  const out = { ...a }
  for (const [k, v] of Object.entries(change)) {
    if (isObject(v) && v.$deleted === true) delete out[k]
    else if (isObject(v) && '$value' in v) out[k] = v.$value
    else if (isObject(v) && isObject(v.$items) && Array.isArray(a[k])) out[k] = applyItems(a[k], v.$items)
    else if (isObject(v) && isObject(a[k])) out[k] = apply(a[k], v)
    else out[k] = v
  }
  return out
}
