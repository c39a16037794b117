// A kubeconfig for the test cluster, as `kubectl config view --raw` would write it.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './tmp.js'
import type { TestApiServer } from './server.js'

export function kubeconfigYaml(
  server: TestApiServer,
  opts: { token?: string; namespace?: string } = {}
): string {
  const ca = Buffer.from(server.caPem).toString('base64')
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kube-verdict-test',
    '  cluster:',
    `    server: ${server.url}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: ci',
    '  user:',
    `    token: ${opts.token ?? server.adminToken}`,
    'contexts:',
    '- name: kube-verdict-test',
    '  context:',
    '    cluster: kube-verdict-test',
    '    user: ci',
    ...(opts.namespace ? [`    namespace: ${opts.namespace}`] : []),
    'current-context: kube-verdict-test',
    ''
  ].join('\n')
}

/** Writes the kubeconfig to a fresh temporary file and returns its path (removed by removeTempDirs). */
export function writeKubeconfig(
  server: TestApiServer,
  opts: { token?: string; namespace?: string } = {}
): string {
  const dir = tempDir('kv-kubeconfig-')
  const path = join(dir, 'config')
  writeFileSync(path, kubeconfigYaml(server, opts), { mode: 0o600 })
  return path
}
