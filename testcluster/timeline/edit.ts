// Recorded timelines put to a test's use without computing anything a controller or the scheduler would: the same
// story under another workload name (several recorded stories then play side by side in one namespace, as if
// deployed together), and the edits a kubelet or a container could make on top (log lines, a waiting message).
import { REPO } from '../stories/images.js'
import { Store } from '../store.js'
import { World } from '../world.js'
import { recorded } from './files.js'
import { replay } from './replay.js'
import { mapStrings, type Entry, type Timeline } from './timeline.js'

export { recorded }

/**
 * The story with workload `from` called `to` (its objects, pods, containers, labels and the words of its events;
 * the image repository keeps its name) and its uids and container IDs moved into copy `n`'s own range, so that
 * they cannot meet another copy's.
 */
export function renamed(t: Timeline, from: string, to: string, n: number): Timeline {
  const word = new RegExp(`\\b${from}\\b`, 'g')
  const rename = (s: string): string =>
    s
      .split(REPO)
      .map(part => part.replace(word, to))
      .join(REPO)
      .replace(
        /(00000000-0000-4000-a)000(-[0-9a-f]{12})/g,
        (_, a: string, b: string) => `${a}${hex(n, 3)}${b}`
      )
      .replace(/(containerd:\/\/)0{8}([0-9a-f]{56})/g, (_, a: string, b: string) => `${a}${hex(n, 8)}${b}`)
  return {
    ...t,
    story: `${t.story} (as ${to})`,
    inputs: mapStrings(t.inputs, rename),
    realReason: t.realReason && rename(t.realReason),
    entries: mapStrings(t.entries, rename),
    logs: mapStrings(t.logs, rename)
  }
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0')

/** Several stories in one: every write in order of its moment (each story's own order kept within a moment). */
export function together(story: string, ...ts: Timeline[]): Timeline {
  const order = (xs: { at: number }[]): void => void xs.sort((a, b) => Math.max(0, a.at) - Math.max(0, b.at))
  const entries: Entry[] = ts.flatMap(t => t.entries)
  const logs = ts.flatMap(t => t.logs)
  order(entries)
  order(logs)
  return { ...ts[0]!, story, entries, logs }
}

/** What the container printed, in place of the recorded lines of pods whose names start with `pod`. */
export function withLog(t: Timeline, pod: string, lines: (recorded: string[]) => string[]): Timeline {
  return {
    ...t,
    logs: t.logs.map(l => (l.pod.startsWith(pod) && l.lines.length > 0 ? { ...l, lines: lines(l.lines) } : l))
  }
}

/** The first pod the story creates with this image (the rollout's new pod), and when. */
export function firstPod(t: Timeline, image: string): { name: string; at: number } {
  const e = t.entries.find(
    x => x.op === 'put' && x.obj.kind === 'Pod' && JSON.stringify(x.obj.spec).includes(`"image":"${image}"`)
  )
  if (!e) throw new Error(`${t.story}: no pod runs ${image}`)
  return { name: e.obj.metadata.name, at: Math.max(0, e.at) }
}

/** The kubelet's message for a waiting container of pods whose names start with `pod`, in place of the recorded. */
export function withWaiting(t: Timeline, pod: string, reason: string, message: string): Timeline {
  const edit = (s: { state?: { waiting?: { reason?: string; message?: string } } }): unknown =>
    s.state?.waiting?.reason === reason ? { ...s, state: { ...s.state, waiting: { reason, message } } } : s
  return {
    ...t,
    entries: t.entries.map(e => {
      const status = e.obj.status as { containerStatuses?: object[] } | undefined
      if (e.obj.kind !== 'Pod' || !e.obj.metadata.name.startsWith(pod) || !status?.containerStatuses) return e
      const containerStatuses = status.containerStatuses.map(edit)
      return { ...e, obj: { ...e.obj, status: { ...status, containerStatuses } } }
    })
  }
}

/** The story up to story-second `at` (a test that plays the rest itself, or wants a state that holds still). */
export function until(t: Timeline, at: number): Timeline {
  return { ...t, entries: t.entries.filter(e => e.at <= at), logs: t.logs.filter(l => l.at <= at) }
}

/** The story after story-second `at`: the rest of what `until` cut, for a test to play when it chooses. */
export function after(t: Timeline, at: number): Timeline {
  return { ...t, entries: t.entries.filter(e => e.at > at), logs: t.logs.filter(l => l.at > at) }
}

/**
 * Every write of the story played at once on `world`, in order, with story-second 0 at epoch ms `zero`: a test
 * that plays a story in parts gives each part the same `zero`, so that the objects' timestamps keep their spacing.
 * Returns the objects whose generation the Store computed otherwise than recorded.
 */
export function playAtOnce(world: World, t: Timeline, zero: number): string[] {
  const s = replay(t, { zero })
  for (const step of [...s.steps].sort((a, b) => a.at - b.at)) step.run(world)
  return s.mismatches
}

/**
 * A World holding the story as it stood at story-second `at` (its end by default): every write up to then played
 * at once, with that moment now (for the decision tests, which read one snapshot).
 */
export function worldAt(t: Timeline, at = Infinity): World {
  const cut = until(t, at)
  const last = Math.max(0, ...cut.entries.map(e => e.at), ...cut.logs.map(l => l.at))
  const world = new World(new Store())
  playAtOnce(world, cut, Date.now() - last * 1000)
  return world
}
