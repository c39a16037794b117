// Golden job summaries, one per verdict: what a person reads. UPDATE_GOLDEN=1 npm test -- summary rewrites them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inputReport } from '../../src/report/report.js'
import { renderSummary, SUMMARY_LIMIT } from '../../src/report/summary.js'
import { standInStories } from '../../testcluster/stories/index.js'
import { slug } from '../../testcluster/stories/story.js'
import { replay } from '../helpers/replay.js'

const DIR = join(process.cwd(), '__tests__', 'golden')

function golden(name: string, text: string): void {
  const file = join(DIR, `${slug(name)}.md`)
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text)
  expect(text).toBe(readFileSync(file, 'utf8'))
}

describe('golden summaries', () => {
  for (const c of standInStories()) {
    test(c.name, async () => {
      const r = await replay(c)
      expect(r.verdict).toBe(c.expect)
      golden(c.name, renderSummary(r))
    })
  }
  test('invalid-input', () =>
    golden(
      'invalid-input',
      renderSummary(
        inputReport(
          'Input \'timeout\' "5 minutes" is not a duration like 90s, 5m or 1h30m. Example: timeout: 10m',
          'deployment/web',
          'shop'
        )
      )
    ))
  test('unreachable', () =>
    golden(
      'unreachable',
      renderSummary({
        ...inputReport(
          'the API server refused the credentials (401 Unauthorized): Unauthorized',
          'deployment/web',
          'shop'
        ),
        verdict: 'unreachable'
      })
    ))
})

test('each summary says what happened, what was built and runs, and what to do', async () => {
  for (const c of standInStories()) {
    const text = renderSummary(await replay(c))
    expect(text).toMatch(/^## .* kube-verdict: `[a-z-]+`/)
    expect(text).toMatch(/\*\*Next step:\*\*/)
    expect(text).toMatch(/### Image/)
    if (c.expect !== 'not-found') expect(text).toMatch(/### New pods|Built/)
  }
})

test('a summary stays under the limit whatever the cluster says', async () => {
  const c = standInStories().find(x => x.expect === 'crash-loop')!
  const r = await replay(c)
  const huge = 'x'.repeat(200_000)
  r.findings = Array.from({ length: 40 }, (_, i) => ({
    cause: 'crash' as const,
    facts: { restarts: 1, previousLog: true },
    workload: { kind: 'Deployment' as const, name: 'web' },
    verdict: 'crash-loop' as const,
    severity: 'error' as const,
    subject: `pod/web-${i}`,
    message: huge,
    detail: Array.from({ length: 500 }, () => huge)
  }))
  r.warnings = Array.from({ length: 50 }, (_, i) => ({
    object: `pod/web-${i}`,
    reason: 'BackOff',
    message: huge,
    count: 1,
    lastSeen: ''
  }))
  r.timeline = Array.from({ length: 200 }, (_, i) => ({ at: i, text: huge }))
  const text = renderSummary(r)
  expect(Buffer.byteLength(text)).toBeLessThan(SUMMARY_LIMIT + 1024)
  expect(text).toMatch(/^## /)
  expect((text.match(/<details>/g) ?? []).length).toBe((text.match(/<\/details>/g) ?? []).length)
})
