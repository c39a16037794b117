// A timeline is what the real control plane did in one story, as the objects the action reads saw it: ordered
// writes and deletions, and the container logs as they grew. capture.ts records one, normalize.ts makes it
// deterministic, replay.ts plays it on the stand-in.
import type { KObject } from '../shared/object.js'

/** One object written (`put`: created or changed) or deleted, `at` story-seconds after the story's setup ended. */
export interface Entry {
  at: number
  op: 'put' | 'delete'
  obj: KObject
}

/** Lines a container logged; `restarted`: the container restarted first (its log became the previous one). */
export interface LogEntry {
  at: number
  namespace: string
  pod: string
  container: string
  lines: string[]
  restarted?: true
}

export interface Timeline {
  /** The story's name, as in the story catalogue (testcluster/stories/). */
  story: string
  /** The verdict the story expects, and what the action gave on the real control plane (and when). */
  expect: string
  verdict: string
  /** The reason the action gave on the real control plane. */
  realReason?: string
  verdictAt?: number
  timeout: string
  /** The verdict must come before half the deadline. */
  early?: true
  /** The reason must match this regular expression (the story's pinned words). */
  reason?: string
  /** The action's inputs (without timeout and kubeconfig). */
  inputs: Record<string, string>
  namespaces: { app: string; build: string }
  /** Epoch ms of story-second 0: the timestamps in objects are relative to it. */
  storyStart: number
  /** Setup's writes have `at` ≤ 0. */
  entries: Entry[]
  logs: LogEntry[]
}

/** The fixed epoch normalized timelines count from: story-second 0. */
export const EPOCH = Date.parse('2000-01-01T00:00:00Z')

/** A file name for a story: its name's words, lower case, at most 60 characters. */
export function timelineSlug(story: string): string {
  return story
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .replace(/-$/, '')
}

/** `2026-12-06T17:52:28Z` or with a fraction: the API server's timestamps (metav1.Time and MicroTime). */
export const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

/** Writes epoch ms in the precision of `like`: the nearest whole second, or milliseconds in its fraction's digits. */
export function formatLike(ms: number, like: string): string {
  const frac = /\.(\d+)Z$/.exec(like)?.[1]
  const iso = new Date(frac ? Math.round(ms) : Math.round(ms / 1000) * 1000).toISOString()
  if (!frac) return iso.replace(/\.\d{3}Z$/, 'Z')
  return iso.replace(/\.(\d{3})Z$/, (_, m: string) => `.${(m + '000000').slice(0, frac.length)}Z`)
}

/** Every string in a JSON value, rewritten (object keys are kept). */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T
  if (Array.isArray(value)) return value.map(v => mapStrings(v, f)) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, f)
    return out as T
  }
  return value
}
