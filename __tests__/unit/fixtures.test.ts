// The committed snapshot fixtures are what the stand-in records today: each stand-in story is recorded again (a
// deterministic world, the production reader) and compared with its file. UPDATE_FIXTURES=1 writes them instead.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { standInStories } from '../../testcluster/stories/index.js'
import { FIXTURE_DIR, fixturePath, fixtureText, record, RERECORD } from '../../testcluster/record.js'

/** Where two texts first differ, as `line N: committed … / recorded …`. */
function firstDifference(committed: string, recorded: string): string {
  const a = committed.split('\n')
  const b = recorded.split('\n')
  const i = a.findIndex((line, n) => line !== b[n])
  const n = i < 0 ? a.length : i
  return `line ${n + 1}: committed ${JSON.stringify(a[n]?.trim())}, recorded ${JSON.stringify(b[n]?.trim())}`
}

test('the committed snapshot fixtures equal a fresh recording of their cases', async () => {
  const stale: string[] = []
  const wanted = new Set<string>()
  for (const c of standInStories()) {
    const file = fixturePath(c)
    wanted.add(basename(file))
    const text = fixtureText(await record(c))
    if (process.env.UPDATE_FIXTURES) {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, text)
    } else if (!existsSync(file)) stale.push(`${file}: missing (story "${c.name}")`)
    else {
      const committed = readFileSync(file, 'utf8')
      if (committed !== text) stale.push(`${file}: ${firstDifference(committed, text)}`)
    }
  }
  for (const f of readdirSync(FIXTURE_DIR))
    if (!wanted.has(f)) stale.push(`${join(FIXTURE_DIR, f)}: no story records it (delete it)`)
  if (stale.length)
    throw new Error(
      `${stale.length} snapshot fixture(s) differ from what the stand-in records now:\n  ${stale.join('\n  ')}\n` +
        `Record them again with:\n  ${RERECORD}\n` +
        'then check that the golden summaries still pass (__tests__/report) and commit both.'
    )
})
