// The action as a user's workflow meets it: the runner sets every action.yml input (defaults included), a
// kubeconfig input may be a path, and a cluster that is never reached gives up early with its cause.
import { kubeconfigYaml, writeKubeconfig } from '../../testcluster/kubeconfig.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import { rollingUpdate } from '../../testcluster/stories/recorded.js'
import { NEW_DIGEST, REPO } from '../../testcluster/stories/images.js'
import { runAction } from '../../testcluster/run-action.js'

const digestInputs = { workload: 'deployment/web', namespace: NS, 'expected-digest': `${REPO}@${NEW_DIGEST}` }

test('timeout: 10s without grace works through the bundle (every default set, as the runner does)', async () => {
  const pb = await play(rollingUpdate(), { quiet: true })
  try {
    const run = await runAction({ ...digestInputs, timeout: '10s', kubeconfig: kubeconfigYaml(pb.server) })
    expect(run.outputs.reason).not.toMatch(/grace/)
    expect(run.outputs.verdict).toBe('success')
    expect(run.exitCode).toBe(0)
  } finally {
    await pb.stop()
  }
})

test('grace longer than timeout: the example is a value that works', async () => {
  const run = await runAction({ ...digestInputs, timeout: '10s', grace: '30s', kubeconfig: 'x' })
  expect(run.outputs.verdict).toBe('invalid-input')
  expect(run.outputs.reason).toMatch(
    /^Input 'grace' is "30s", not shorter than 'timeout' \(10s\).*Example: grace: 2s$/
  )
})

describe('the kubeconfig input', () => {
  test('the path of a file an earlier step wrote is read as that file', async () => {
    const pb = await play(rollingUpdate(), { quiet: true })
    try {
      const run = await runAction({ ...digestInputs, timeout: '20s', kubeconfig: writeKubeconfig(pb.server) })
      expect(run.outputs.verdict).toBe('success')
    } finally {
      await pb.stop()
    }
  })
  test.each([
    ['./kubeconfig.yaml', /looks like a file path \("\.\/kubeconfig\.yaml"\), but no such file exists here/],
    ['/home/runner/.kube/config', /looks like a file path/],
    [
      '$KUBECONFIG',
      /is the text "\$KUBECONFIG": the runner does not expand shell variables.*\$\{\{ env\.KUBECONFIG \}\}/
    ]
  ])('%s: says it looks like a path and how to pass a file', async (value, reason) => {
    const run = await runAction({ ...digestInputs, kubeconfig: value })
    expect(run.outputs.verdict).toBe('invalid-input')
    expect(run.outputs.reason).toMatch(/^Input 'kubeconfig' /)
    expect(run.outputs.reason).toMatch(reason)
    expect(run.outputs.reason).not.toMatch(/no contexts or no clusters/)
  })
})

test('a cluster never reached gives up after a quarter of timeout, the cause kept', async () => {
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: c',
    '  cluster: {server: "https://127.0.0.1:1"}',
    'contexts:',
    '- name: c',
    '  context: {cluster: c, user: u}',
    'current-context: c',
    'users:',
    '- name: u',
    '  user: {token: abcdefgh12345678}',
    ''
  ].join('\n')
  const run = await runAction({ ...digestInputs, timeout: '20s', kubeconfig })
  expect(run.outputs.verdict).toBe('unreachable')
  expect(run.outputs.reason).toMatch(/never reached in \d+s .*ECONNREFUSED/)
  expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(10)
})
