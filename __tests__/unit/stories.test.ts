// The one story catalogue: each story is told by at least one world, under one name and one expected verdict,
// every golden summary and recorded fixture belongs to a story the stand-in tells, and every recorded timeline to
// a story the real control plane tells.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { VERDICTS } from '../../src/verdict/types.js'
import { STORIES, kindStories, realStories, standInStories } from '../../testcluster/stories/index.js'
import { slug } from '../../testcluster/stories/story.js'
import { recordedTimelines } from '../../testcluster/timeline/files.js'
import { TimelineScenario } from '../../testcluster/timeline/replay.js'
import { timelineSlug } from '../../testcluster/timeline/timeline.js'

const stemsIn = (dir: string, ext: string): string[] =>
  readdirSync(join(process.cwd(), '__tests__', dir))
    .filter(f => f.endsWith(ext))
    .map(f => f.slice(0, -ext.length))

/** Goldens rendered from an input report, not from a story (summary.test.ts). */
const NOT_STORIES = ['invalid-input', 'unreachable']

test('story names are unique, and so are their slugs (goldens and fixtures are named by them)', () => {
  const names = STORIES.map(s => s.name)
  expect(new Set(names).size).toBe(names.length)
  const slugs = standInStories().map(s => slug(s.name))
  expect(new Set(slugs).size).toBe(slugs.length)
})

test('each story has at least one telling and an expected verdict the action knows', () => {
  for (const s of STORIES) {
    expect([s.name, s.standIn !== undefined || s.real !== undefined]).toEqual([s.name, true])
    expect(VERDICTS).toContain(s.expect)
  }
})

test('a story told by both worlds is one entry: one name, one verdict, in both views', () => {
  const both = STORIES.filter(s => s.standIn && s.real)
  expect(both.length).toBeGreaterThanOrEqual(30)
  const real = [...realStories(), ...kindStories()]
  for (const s of both) {
    const inStandIn = standInStories().filter(x => x.name === s.name)
    const inReal = real.filter(x => x.name === s.name)
    expect([s.name, inStandIn.length, inReal.length]).toEqual([s.name, 1, 1])
    expect([inStandIn[0]!.expect, inReal[0]!.expect]).toEqual([s.expect, s.expect])
  }
})

test('the stand-in runs each of its stories with a deadline and the inputs a workflow passes', () => {
  for (const s of standInStories()) {
    expect([s.name, s.inputs.timeout]).toEqual([s.name, expect.stringMatching(/^\d+s$/)])
    expect(s.inputs.namespace).toBe('shop')
  }
})

test('every golden summary and recorded fixture matches a story the stand-in tells', () => {
  const slugs = new Set(standInStories().map(s => slug(s.name)))
  for (const g of stemsIn('golden', '.md').filter(g => !NOT_STORIES.includes(g)))
    expect([g, slugs.has(g)]).toEqual([g, true])
  for (const f of stemsIn('fixtures/snapshots', '.json')) expect([f, slugs.has(f)]).toEqual([f, true])
})

test('every recorded timeline is a story of the catalogue that the real control plane tells, with its verdict', () => {
  const real = new Map([...realStories(), ...kindStories()].map(s => [s.name, s]))
  for (const { file, timeline } of recordedTimelines()) {
    expect([file, real.has(timeline.story)]).toEqual([file, true])
    expect([file, timeline.expect]).toEqual([file, real.get(timeline.story)!.expect])
    expect(file).toBe(`${timelineSlug(timeline.story)}.json`)
  }
})

test('the stand-in tells each story the real control plane recorded by replaying the recording, inputs and all', () => {
  const recorded = new Map(recordedTimelines().map(r => [r.timeline.story, r.timeline]))
  for (const s of standInStories()) {
    const t = recorded.get(s.name)
    if (!t) continue
    expect([s.name, s.scenario() instanceof TimelineScenario]).toEqual([s.name, true])
    const { timeout: _, ...inputs } = s.inputs
    expect([s.name, inputs]).toEqual([s.name, t.inputs])
  }
})
