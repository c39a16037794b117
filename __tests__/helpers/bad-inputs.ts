// The catalog of bad input: each case, the inputs, and the input its error must name.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../../testcluster/tmp.js'

export const SECRET_TOKEN = 'secret-token-123456'
const D = 'sha256:' + 'ab'.repeat(32)

export function kubeconfigText(user = `token: ${SECRET_TOKEN}`): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: ctx
  context: {cluster: c, user: u, namespace: shop}
current-context: ctx
users:
- name: u
  user:
    ${user}
`
}

export type BadInput = [name: string, inputs: Record<string, string>, input: string]

export function badInputs(): BadInput[] {
  const dir = tempDir('kv-bad-')
  const file = (name: string, content: string | Buffer): string => {
    const p = join(dir, name)
    writeFileSync(p, content)
    return p
  }
  mkdirSync(join(dir, 'a-directory'))
  const w = { workload: 'deployment/web', kubeconfig: kubeconfigText() }
  return [
    ['missing workload', { kubeconfig: kubeconfigText() }, 'workload'],
    ['workload without kind', { ...w, workload: 'web' }, 'workload'],
    ['unknown kind', { ...w, workload: 'cronjob/web' }, 'workload'],
    ['a core Service', { ...w, workload: 'service/web' }, 'workload'],
    ['name with capitals', { ...w, workload: 'deployment/Web' }, 'workload'],
    ['name with underscore', { ...w, workload: 'deployment/web_1' }, 'workload'],
    ['three parts', { ...w, workload: 'deployment/web/x' }, 'workload'],
    ['selector and workload both', { ...w, selector: 'app=web' }, 'selector'],
    ['selector not a selector', { kubeconfig: kubeconfigText(), selector: 'app=(web' }, 'selector'],
    ['namespace not DNS-1123', { ...w, namespace: 'Shop' }, 'namespace'],
    ['namespace too long', { ...w, namespace: 'a'.repeat(64) }, 'namespace'],
    ['short digest', { ...w, 'expected-digest': 'sha256:1234' }, 'expected-digest'],
    ['non-hex digest', { ...w, 'expected-digest': 'sha256:' + 'z'.repeat(64) }, 'expected-digest'],
    ['sha512 digest', { ...w, 'expected-digest': 'sha512:' + 'a'.repeat(128) }, 'expected-digest'],
    ['digest with spaces', { ...w, 'expected-digest': `sha256: ${'a'.repeat(64)}` }, 'expected-digest'],
    ['two digests', { ...w, 'expected-digest': `${D} ${D}` }, 'expected-digest'],
    ['tag, not digest', { ...w, 'expected-digest': 'registry.example.com/web:1.4.2' }, 'expected-digest'],
    ['digest and file both', { ...w, 'expected-digest': D, 'digest-file': '/x' }, 'digest-file'],
    ['digest and build pod both', { ...w, 'expected-digest': D, 'build-pod': 'b' }, 'build-pod'],
    ['digest file missing', { ...w, 'digest-file': join(dir, 'nope') }, 'digest-file'],
    ['digest file is a directory', { ...w, 'digest-file': join(dir, 'a-directory') }, 'digest-file'],
    ['digest file empty', { ...w, 'digest-file': file('empty', '') }, 'digest-file'],
    ['digest file binary', { ...w, 'digest-file': file('bin', Buffer.from([0, 1, 2, 3])) }, 'digest-file'],
    ['digest file huge', { ...w, 'digest-file': file('huge', Buffer.alloc(2 << 20, 'a')) }, 'digest-file'],
    ['digest file garbage', { ...w, 'digest-file': file('garbage', 'hello world') }, 'digest-file'],
    ['build pod neither name nor selector', { ...w, 'build-pod': 'Build Pod!' }, 'build-pod'],
    ['build pod bad selector', { ...w, 'build-pod': 'job-name==(' }, 'build-pod'],
    ['build namespace without build pod', { ...w, 'build-namespace': 'ci' }, 'build-namespace'],
    ['bad build namespace', { ...w, 'build-pod': 'b', 'build-namespace': 'CI' }, 'build-namespace'],
    ['timeout 0', { ...w, timeout: '0s' }, 'timeout'],
    ['timeout bare number', { ...w, timeout: '300' }, 'timeout'],
    ['timeout negative', { ...w, timeout: '-5m' }, 'timeout'],
    ['timeout in words', { ...w, timeout: '5 minutes' }, 'timeout'],
    ['timeout absurd', { ...w, timeout: '9999h' }, 'timeout'],
    ['grace longer than timeout', { ...w, timeout: '10s', grace: '30s' }, 'grace'],
    ['soak as long as timeout', { ...w, timeout: '1m', soak: '1m' }, 'soak'],
    ['soak in words', { ...w, soak: 'a minute' }, 'soak'],
    ['container not a name', { ...w, container: 'Web App' }, 'container'],
    ['fail-on-verdict not a boolean', { ...w, 'fail-on-verdict': 'maybe' }, 'fail-on-verdict'],
    ['deployment id not a number', { ...w, 'github-token': 't', 'deployment-id': '12x' }, 'deployment-id'],
    ['deployment id without a token', { ...w, 'deployment-id': '12' }, 'github-token'],
    ['kubeconfig garbage', { ...w, kubeconfig: '}}}{{{ not yaml' }, 'kubeconfig'],
    ['kubeconfig bad base64', { ...w, kubeconfig: 'bm90IGEga3ViZWNvbmZpZw==' }, 'kubeconfig'],
    [
      'kubeconfig without contexts',
      { ...w, kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\n' },
      'kubeconfig'
    ],
    ['kubeconfig lacks the named context', { ...w, context: 'prod' }, 'context'],
    [
      'exec plugin not installed',
      {
        ...w,
        kubeconfig: kubeconfigText(
          'exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin-missing}'
        )
      },
      'kubeconfig'
    ],
    [
      'removed gcp auth-provider',
      { ...w, kubeconfig: kubeconfigText('auth-provider: {name: gcp}') },
      'kubeconfig'
    ],
    ['kubeconfig absent altogether', { workload: 'deployment/web' }, 'kubeconfig']
  ]
}
