// Bad input: every case names its input and shows a valid example.
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../../testcluster/tmp.js'
import { InputError, readSettings } from '../../src/inputs.js'
import { SECRET_TOKEN, badInputs, kubeconfigText } from '../helpers/bad-inputs.js'
import { loadKubeconfig } from '../../src/kube/config.js'
import { parseDuration } from '../../src/duration.js'
import { formatDuration } from '../../src/inputs.js'
import { inputEnvName, runnerInputEnv } from '../../testcluster/run-action.js'

const D = 'sha256:' + 'ab'.repeat(32)
const dir = tempDir('kv-inputs-')
const file = (name: string, content: string | Buffer): string => {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}
mkdirSync(join(dir, 'a-directory'))

const read = (inputs: Record<string, string>) => readSettings(n => inputs[n] ?? '')

test('a valid minimal input', () => {
  expect(read({ workload: 'deployment/web' })).toMatchObject({
    workload: { kind: 'Deployment', name: 'web' },
    timeoutMs: 600_000,
    graceMs: 15_000,
    failOnVerdict: true,
    kubeconfig: { kind: 'default' }
  })
})

describe('inputs as the runner passes them: every action.yml input, its default when the workflow omits it', () => {
  const asRunner = (inputs: Record<string, string>) => {
    const env = runnerInputEnv(inputs)
    return readSettings(n => env[inputEnvName(n)] ?? '')
  }
  test('INPUT_ names: upper-cased, hyphens kept, spaces as _', () => {
    expect(inputEnvName('expected-digest')).toBe('INPUT_EXPECTED-DIGEST')
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT')
    const env = runnerInputEnv({ workload: 'deployment/web' })
    expect(env).toMatchObject({
      INPUT_WORKLOAD: 'deployment/web',
      INPUT_TIMEOUT: '10m',
      'INPUT_FAIL-ON-VERDICT': 'true'
    })
    expect(Object.keys(env)).toContain('INPUT_GRACE')
  })
  test('an input action.yml does not declare is a mistake of the test', () => {
    expect(() => runnerInputEnv({ workload: 'deployment/web', graec: '1s' })).toThrow(
      /declares no input graec/
    )
  })
  test('timeout: 10s without grace works (the default grace is a quarter of timeout)', () => {
    expect(asRunner({ workload: 'deployment/web', timeout: '10s' })).toMatchObject({
      timeoutMs: 10_000,
      graceMs: 2_500
    })
    expect(asRunner({ workload: 'deployment/web' }).graceMs).toBe(15_000)
    expect(asRunner({ workload: 'deployment/web', timeout: '1m' }).graceMs).toBe(15_000)
    expect(asRunner({ workload: 'deployment/web', timeout: '40s' }).graceMs).toBe(10_000)
  })
  test('soak: 0s (the default) is no soak; a soak must be shorter than timeout, which covers it', () => {
    expect(asRunner({ workload: 'deployment/web' }).soakMs).toBe(0)
    expect(asRunner({ workload: 'deployment/web', soak: '0' }).soakMs).toBe(0)
    expect(asRunner({ workload: 'deployment/web', soak: '90s' }).soakMs).toBe(90_000)
    let message = ''
    try {
      asRunner({ workload: 'deployment/web', timeout: '2m', soak: '2m' })
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(
      /^Input 'soak' is "2m", not shorter than 'timeout' \(2m\); it covers the rollout and the soak, so raise 'timeout' \(to 4m or more\) or shorten the soak/
    )
    const example = /Example: soak: (\S+)$/.exec(message)?.[1] ?? ''
    expect(() => asRunner({ workload: 'deployment/web', timeout: '2m', soak: example })).not.toThrow()
  })
  test('an explicit grace is still validated, and the example is a value that would pass', () => {
    for (const [timeout, grace] of [
      ['10s', '30s'],
      ['10s', '10s'],
      ['2s', '15s'],
      ['10m', 'soon']
    ] as const) {
      let message = ''
      try {
        asRunner({ workload: 'deployment/web', timeout, grace })
      } catch (e) {
        message = (e as Error).message
      }
      expect(message).toMatch(/^Input 'grace' /)
      const example = /Example: grace: (\S+)$/.exec(message)?.[1] ?? ''
      expect(parseDuration(example)).toBeLessThan(parseDuration(timeout))
      expect(() => asRunner({ workload: 'deployment/web', timeout, grace: example })).not.toThrow()
    }
  })
  test('durations in examples', () => {
    expect(['2s', '2m30s', '1h', '1h0m5s', '500ms'].map(parseDuration).map(formatDuration)).toEqual([
      '2s',
      '2m30s',
      '1h',
      '1h5s',
      '500ms'
    ])
  })
})

test('a digest file in each format', () => {
  expect(read({ workload: 'deploy/web', 'digest-file': file('d1', D) }).digest).toMatchObject({
    kind: 'file',
    refs: [{ digest: D }]
  })
})

// Cases whose error comes from the inputs alone (the kubeconfig ones are loaded below and end to end).
const bad = badInputs().filter(
  ([, inputs, input]) => !['kubeconfig', 'context'].includes(input) && !('context' in inputs)
)

test('the catalog holds at least 40 cases', () => expect(badInputs().length).toBeGreaterThanOrEqual(40))

test.each(bad)('%s', (_name, inputs, input) => {
  let err: unknown
  try {
    read(inputs)
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(InputError)
  expect((err as InputError).input).toBe(input)
  expect((err as Error).message).toMatch(new RegExp(`^Input '${input}' .*Example: ${input}: \\S`))
  expect((err as Error).message).not.toMatch(/\n/)
})

describe('kubeconfig', () => {
  const masked: string[] = []
  const load = (content: string | undefined, env: NodeJS.ProcessEnv = { HOME: dir }, context?: string) =>
    loadKubeconfig(
      content === undefined ? { kind: 'default' } : { kind: 'inline', content },
      context,
      env,
      s => masked.push(s)
    )
  const KC = kubeconfigText
  test('plain and base64 both load; the token is masked', () => {
    expect(load(KC()).contextNamespace).toBe('shop')
    expect(load(Buffer.from(KC()).toString('base64')).server).toBe('https://127.0.0.1:6443')
    expect(masked).toContain(SECRET_TOKEN)
  })
  test('client keys are masked raw and decoded', () => {
    const key = Buffer.from(
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkZ4bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n-----END EC PRIVATE KEY-----\n'
    ).toString('base64')
    load(KC(`client-key-data: ${key}`))
    expect(masked).toContain(key)
    expect(masked).toContain('MHcCAQEEIBkZ4bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')
  })
  test.each([
    ['garbage', '}}}{{{ not yaml', 'kubeconfig'],
    ['bad base64', 'bm90IGEga3ViZWNvbmZpZw==', 'kubeconfig'],
    ['no contexts', 'apiVersion: v1\nkind: Config\nclusters: []\n', 'kubeconfig'],
    ['unknown context', KC(), 'context'],
    [
      'exec plugin not installed',
      KC('exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin-missing}'),
      'kubeconfig'
    ],
    ['removed gcp auth-provider', KC('auth-provider: {name: gcp}'), 'kubeconfig']
  ])('%s', (_n, content, input) => {
    expect(() =>
      load(content, { HOME: dir, PATH: '/usr/bin' }, input === 'context' ? 'nope' : undefined)
    ).toThrow(new RegExp(`^Input '${input}'`))
  })
  test('absent altogether: invalid input, never localhost:8080', () => {
    expect(() => load(undefined, { HOME: join(dir, 'nohome') })).toThrow(/^Input 'kubeconfig' is not set/)
  })
  test('KUBECONFIG naming no file', () => {
    expect(() => load(undefined, { HOME: dir, KUBECONFIG: join(dir, 'missing') })).toThrow(
      /KUBECONFIG names no file/
    )
  })
})
