// Bad input: every case names its input and shows a valid example.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, readSettings } from '../../src/inputs.js'
import { SECRET_TOKEN, badInputs, kubeconfigText } from '../helpers/bad-inputs.js'
import { loadKubeconfig } from '../../src/kube/config.js'

const D = 'sha256:' + 'ab'.repeat(32)
const dir = mkdtempSync(join(tmpdir(), 'kv-inputs-'))
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
