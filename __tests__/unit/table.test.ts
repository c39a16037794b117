// The verdict table: what the action, the CLI and the reporters read from it.
import { exitCodeLines } from '../../src/cli-words.js'
import { VERDICT, annotationLevel, endsAs, failsStep, isVerdict, worst } from '../../src/verdict/table.js'
import { VERDICTS } from '../../src/verdict/types.js'

test('each verdict has its own rank; the worst of none is success', () => {
  const ranks = VERDICTS.map(v => VERDICT[v].rank)
  expect(new Set(ranks).size).toBe(VERDICTS.length)
  expect(worst([])).toBe('success')
  expect(worst(['timeout', 'crash-loop', 'stale'])).toBe('crash-loop')
})

test('progressing is a state, not a verdict: it ends as timeout when the wait ends', () => {
  expect(isVerdict('progressing')).toBe(false)
  expect(endsAs('progressing')).toBe('timeout')
  expect(VERDICTS.every(v => isVerdict(v) && endsAs(v) === v)).toBe(true)
})

test('the step fails on bad input always, on success never, on the others unless fail-on-verdict is false', () => {
  const level = (failOn: boolean): Record<string, string> =>
    Object.fromEntries(
      (['success', 'invalid-input', 'crash-loop', 'timeout', 'unreachable'] as const).map(v => [
        v,
        `${failsStep(v, failOn) ? 'fails' : 'passes'} ${annotationLevel(v, failOn)}`
      ])
    )
  expect(level(true)).toEqual({
    success: 'passes notice',
    'invalid-input': 'fails error',
    'crash-loop': 'fails error',
    timeout: 'fails error',
    unreachable: 'fails error'
  })
  expect(level(false)).toEqual({
    success: 'passes notice',
    'invalid-input': 'fails error',
    'crash-loop': 'passes warning',
    timeout: 'passes warning',
    unreachable: 'passes warning'
  })
})

test("the CLI's exit codes come from the table", () => {
  expect(exitCodeLines()).toBe(
    [
      '  0  success',
      '  1  a failure verdict: apply-failed, build-failed, scheduling, stale, network, image-pull, config-error, crash-loop,',
      '     unhealthy, not-found',
      '  2  timeout (explain: not done yet)',
      '  3  unreachable',
      '  4  invalid-input',
      '  5  superseded'
    ].join('\n')
  )
})
