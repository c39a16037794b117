// npm run record:timelines [-- <name words>…]: runs real stories on the real control plane, records what it did
// (testcluster/timeline/capture.ts), normalizes it and writes testcluster/timeline/recorded/<slug>.json, which
// the stand-in replays. With no words, the stories the stand-in's cases also tell; a word picks every story whose
// name contains it; `--all` picks them all. A story whose real verdict is not the expected one is not written.
// KV_TIMELINE_RAW=<dir> also writes each raw capture there (before normalize); `--renormalize <dir>` writes the
// recorded files again from such raw captures.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startControllers } from '../testcluster/real/controllers.js'
import { realCluster, runStory, STORY_WORLD, type RealCluster } from '../testcluster/real/harness.js'
import { kindStories, realStories, type RealStory } from '../testcluster/stories/index.js'
import { Capture } from '../testcluster/timeline/capture.js'
import { normalize } from '../testcluster/timeline/normalize.js'
import { formatTimeline, RECORDED } from '../testcluster/timeline/files.js'
import { timelineSlug, type Timeline } from '../testcluster/timeline/timeline.js'

/** The stories both worlds tell that the stand-in replays first (issue 18 item 5). */
const DEFAULT = [
  'success: rolling update of 3 replicas',
  'crash-loop: the container exits three times',
  'image-pull: the tag does not exist',
  'scheduling: pods Pending on taints and affinity',
  'unhealthy: running, readiness never passes',
  'config-error: CreateContainerConfigError',
  'network: FailedCreatePodSandBox',
  'stale: the pods run another digest'
]

/** The stories to record: the decision table's, and the kinds' (whose CRDs and controllers need a cluster of their own). */
function chosen(args: string[]): { core: RealStory[]; kinds: RealStory[] } {
  // Credentials stories test the token, which a replay does not carry.
  const replayable = (list: RealStory[]): RealStory[] => list.filter(s => !s.credentials)
  const [core, kinds] = [replayable(realStories()), replayable(kindStories())]
  if (args.includes('--all')) return { core, kinds }
  const words = args.length > 0 ? args : DEFAULT
  const pick = (list: RealStory[]): RealStory[] => list.filter(s => words.some(w => s.name.includes(w)))
  const unmatched = words.filter(w => ![...core, ...kinds].some(s => s.name.includes(w)))
  if (unmatched.length > 0)
    throw new Error(`no replayable real story's name contains: ${unmatched.join('; ')}`)
  return { core: pick(core), kinds: pick(kinds) }
}

/** Runs and records stories on one control plane; returns how many were not written. */
async function record(stories: RealStory[], withControllers: boolean): Promise<number> {
  if (stories.length === 0) return 0
  const c = await realCluster(STORY_WORLD)
  const controllers = withControllers ? await startControllers(c.world) : undefined
  let failed = 0
  try {
    for (const story of stories) if (!(await recordOne(c, story))) failed++
  } finally {
    controllers?.stop()
    await c.stop()
  }
  return failed
}

async function recordOne(c: RealCluster, story: RealStory): Promise<boolean> {
  const capture = new Capture(story)
  const { run, thenError } = await runStory(c, story, capture)
  if (process.env.KV_TIMELINE_RAW)
    writeFileSync(
      join(process.env.KV_TIMELINE_RAW, `${timelineSlug(story.name)}.json`),
      JSON.stringify(capture.result())
    )
  const t = normalize(capture.result())
  const file = join(RECORDED, `${timelineSlug(story.name)}.json`)
  const said = `${run.outputs.verdict} at ${t.verdictAt ?? '?'} s: ${run.outputs.reason}`
  if (run.outputs.verdict !== story.expect || thenError) {
    process.stderr.write(`NOT WRITTEN ${story.name}\n  expected ${story.expect}, got ${said}\n`)
    if (thenError) process.stderr.write(`  the story's own steps failed: ${String(thenError)}\n`)
    return false
  }
  const text = formatTimeline(t)
  writeFileSync(file, text)
  process.stderr.write(
    `${file}: ${t.entries.length} writes, ${t.logs.length} log entries, ${text.length} bytes\n  ${said}\n`
  )
  return true
}

/** Normalizes raw captures again (after a change to normalize.ts), without running the stories. */
function renormalize(dir: string): void {
  for (const f of readdirSync(dir).filter(n => n.endsWith('.json'))) {
    const text = formatTimeline(normalize(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Timeline))
    writeFileSync(join(RECORDED, f), text)
    process.stderr.write(`${f}: ${text.length} bytes\n`)
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  if (args[0] === '--renormalize') return renormalize(args[1] ?? '')
  const { core, kinds } = chosen(args)
  mkdirSync(RECORDED, { recursive: true })
  const failed = (await record(core, false)) + (await record(kinds, true))
  process.exitCode = failed > 0 ? 1 : 0
}

await main()
