// A replayed timeline writes into the stand-in's Store exactly what the real control plane wrote: each object the
// story ends with as recorded (the Store's own resourceVersion aside, its generation the recorded one), nothing
// the real one deleted, each container's log as read last; and the same replay twice gives the same Store.
import type { KObject } from '../../testcluster/shared/object.js'
import { Store } from '../../testcluster/store.js'
import { recordedTimelines } from '../../testcluster/timeline/files.js'
import { playAtOnce } from '../../testcluster/timeline/edit.js'
import { storeKind } from '../../testcluster/timeline/replay.js'
import { EPOCH, type Timeline } from '../../testcluster/timeline/timeline.js'
import { World } from '../../testcluster/world.js'

/** Every step at once, in order, on a deterministic Store; story-second 0 at the files' own epoch. */
function played(t: Timeline): { store: Store; mismatches: string[] } {
  const store = new Store({ deterministic: true })
  return { store, mismatches: playAtOnce(new World(store), t, EPOCH) }
}

/** The objects a timeline ends with (by the stand-in's kind, namespace and name), and those it deleted. */
function ending(t: Timeline): { kept: Map<string, KObject>; gone: Set<string> } {
  const kept = new Map<string, KObject>()
  const gone = new Set<string>()
  for (const e of t.entries) {
    const key = `${storeKind(e.obj)}\u0000${e.obj.metadata.namespace ?? ''}\u0000${e.obj.metadata.name}`
    if (e.op === 'delete') {
      kept.delete(key)
      gone.add(key)
    } else {
      kept.set(key, e.obj)
      gone.delete(key)
    }
  }
  return { kept, gone }
}

/** The log lines a container has at the end: appended, and emptied into the previous log at a restart. */
function lastLogs(t: Timeline): Map<string, string[]> {
  const logs = new Map<string, string[]>()
  for (const l of t.logs) {
    const key = `${l.namespace}/${l.pod}/${l.container}`
    logs.set(key, [...(l.restarted ? [] : (logs.get(key) ?? [])), ...l.lines])
  }
  return logs
}

describe('replayed into the Store, as recorded', () => {
  for (const { file, timeline: t } of recordedTimelines()) {
    test(file, () => {
      const { store, mismatches } = played(t)
      expect(mismatches).toEqual([])
      const { kept, gone } = ending(t)
      for (const [key, obj] of kept) {
        const [kind, ns, name] = key.split('\u0000') as [string, string, string]
        const { resourceVersion: _rv, ...metadata } = store.find(kind, ns || undefined, name)!.metadata
        expect({ key, obj: { ...store.find(kind, ns || undefined, name), metadata } }).toEqual({ key, obj })
      }
      for (const key of gone) {
        const [kind, ns, name] = key.split('\u0000') as [string, string, string]
        expect({ key, found: store.find(kind, ns || undefined, name) }).toEqual({ key, found: undefined })
      }
      for (const [key, lines] of lastLogs(t)) {
        const [ns, pod, container] = key.split('/') as [string, string, string]
        const text = store.readLog(ns, pod, container, false) ?? ''
        expect({ key, lines: text === '' ? [] : text.replace(/\n$/, '').split('\n') }).toEqual({ key, lines })
      }
      expect(JSON.stringify(played(t).store.list('pods', undefined))).toBe(
        JSON.stringify(store.list('pods', undefined))
      )
    })
  }
})
