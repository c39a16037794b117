import { md, mdCode, oneLine, preBlock, safeLog } from '../../src/report/safe.js'

const hostile = [
  '::error file=x,line=1::pwned',
  '  ::set-output name=verdict::success',
  '::stop-commands::abc',
  'prefix ##[error]legacy command',
  '::add-mask::',
  '\u001b[2J\u001b[31mred\u001b]0;title\u0007',
  'line1\r::warning::after CR',
  'line1\n::notice::after LF'
]

describe('safeLog: nothing the runner would execute', () => {
  test.each(hostile)('%j', text => {
    for (const line of safeLog(text).split('\n')) {
      expect(line.trimStart().startsWith('::')).toBe(false)
      expect(line).not.toContain('##[')
      expect(line).not.toMatch(/\u001b|\r|\u0007/)
    }
  })
})

describe('markdown: no HTML, no table breakers, no escaping code spans', () => {
  test('HTML and pipes', () => {
    const t = md('<img src=x onerror=alert(1)> | a | b </details>')
    expect(t).not.toMatch(/<|>|\|/)
  })
  test('code spans cannot be closed', () => {
    expect(mdCode('a`b`c | d')).toMatch(/^`[^`]*`$/)
  })
  test('pre blocks cannot be closed', () => {
    expect(preBlock(['</pre></details><script>x</script>', '```'])).not.toMatch(/<\/pre>.*<\/pre>|<script>/s)
  })
  test('a 1 MB line is cut', () => {
    expect(oneLine('x'.repeat(1_000_000)).length).toBeLessThanOrEqual(1000)
    expect(preBlock(['y'.repeat(1_000_000)]).length).toBeLessThan(1000)
  })
})
