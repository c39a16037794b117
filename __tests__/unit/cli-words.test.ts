// The CLI in its own words: flags, not action inputs; Node's parser errors in the project's style.
import { parseArgs } from 'node:util'
import { argumentError, flagMessage } from '../../src/cli-words.js'
import { InputError, readSettings } from '../../src/inputs.js'

const D = 'sha256:' + 'ab'.repeat(32)

function cliError(inputs: Record<string, string>): string {
  try {
    readSettings(n => inputs[n] ?? '')
  } catch (e) {
    if (e instanceof InputError) return flagMessage(e)
    throw e
  }
  throw new Error('no error')
}

function parseError(args: string[]): string {
  try {
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        timeout: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        json: { type: 'boolean' }
      }
    })
  } catch (e) {
    return argumentError(e as Error)
  }
  throw new Error('no error')
}

test('a conflict names both flags (--digest, not expected-digest)', () => {
  expect(cliError({ workload: 'deployment/web', 'expected-digest': D, 'build-pod': 'b' })).toBe(
    '--build-pod conflicts with --digest; give one source of the built digest. Example: --build-pod job-name=build-42'
  )
})

test('--grace against --timeout, with an example that would pass', () => {
  expect(cliError({ workload: 'deployment/web', timeout: '10s', grace: '30s' })).toMatch(
    /^--grace is "30s", not shorter than --timeout \(10s\).*Example: --grace 2s$/
  )
})

test('--soak against --timeout, in flags, with an example that would pass', () => {
  expect(cliError({ workload: 'deployment/web', timeout: '1m', soak: '90s' })).toBe(
    '--soak is "90s", not shorter than --timeout (1m); it covers the rollout and the soak, so raise --timeout (to 2m30s or more) or shorten the soak. Example: --soak 30s'
  )
})

test('no secrets syntax in a terminal example', () => {
  const m = flagMessage(
    new InputError('kubeconfig', 'names "/x", which does not exist', '${{ secrets.KUBECONFIG }}')
  )
  expect(m).toBe('--kubeconfig names "/x", which does not exist. Example: --kubeconfig ~/.kube/config')
})

test.each([
  [
    ['--timeout', '-5m'],
    /^--timeout needs a value, and the next argument starts with '-'.*Example: --timeout 5m$/
  ],
  [['--timeout'], /^--timeout needs a value\. Example: --timeout 5m$/],
  [['-n'], /^--namespace needs a value\. Example: --namespace shop$/],
  [['--json=yes'], /^--json takes no value\. Example: --json$/],
  [
    ["--timeuot'"],
    /^unknown option "--timeuot'"; did you mean --timeout\?.*Example: kube-verdict deployment\/web -n shop --timeout 5m$/
  ],
  [
    ['--frobnicate'],
    /^unknown option "--frobnicate" \(a workload name starting with '-' goes after --\)\. Example: /
  ]
])('%j', (args, expected) => {
  const m = parseError(args)
  expect(m).toMatch(expected)
  expect(m).not.toMatch(/\n|Did you forget|To specify/)
})
