// Findings land on the line of the applied YAML that needs the change; multi-document output included.
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../../testcluster/tmp.js'
import { loadManifests } from '../../src/report/manifests.js'
import type { Finding } from '../../src/verdict/types.js'

const ws = tempDir('kv-manifests-')
mkdirSync(join(ws, 'deploy'))
// What `kustomize build` or `helm template` prints: several documents, comments, a Service first.
const YAML = `# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: other
spec:
  template:
    spec:
      containers:
        - name: web
          image: nope
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  template:
    spec:
      nodeSelector:
        pool: general
      tolerations:
        - key: dedicated
          value: gpu
      containers:
        - name: istio-proxy
          image: istio/proxyv2:1.22
        - name: web
          image: registry.example.com/shop/web:1.4.2
          envFrom:
            - secretRef:
                name: db-creds
          resources:
            requests:
              memory: 4Gi
            limits:
              memory: 4Gi
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
`
writeFileSync(join(ws, 'deploy', 'all.yaml'), YAML)
const lineOf = (text: string, nth = 1): number => {
  let seen = 0
  const lines = YAML.split('\n')
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(text) && ++seen === nth) return i + 1
  throw new Error(text)
}

const m = loadManifests(['deploy/*.yaml'], ws, { kind: 'Deployment', name: 'web', namespace: 'shop' })
const at = (f: Partial<Finding>) =>
  m.locate({
    severity: 'error',
    subject: 'pod/web-1',
    message: '',
    verdict: 'stale',
    container: 'web',
    ...f
  } as Finding)

test.each([
  ['stale → image:', { verdict: 'stale' }, 'image: registry.example.com', 1],
  [
    'image-pull → image:',
    { verdict: 'image-pull', message: 'cannot pull its image' },
    'image: registry.example.com',
    1
  ],
  [
    'Insufficient memory → resources.requests',
    {
      verdict: 'scheduling',
      container: undefined,
      message: 'pod cannot be scheduled: Insufficient memory on 3/3 nodes'
    },
    'requests:',
    1
  ],
  [
    'taint → tolerations',
    { verdict: 'scheduling', message: '1 node(s) had untolerated taint {dedicated: gpu}' },
    'tolerations:',
    1
  ],
  [
    'affinity → nodeSelector',
    { verdict: 'scheduling', message: "3 node(s) didn't match Pod's node affinity/selector" },
    'nodeSelector:',
    1
  ],
  [
    'missing Secret → the reference',
    { verdict: 'config-error', message: 'container web cannot be created: Secret "db-creds" does not exist' },
    'name: db-creds',
    1
  ],
  [
    'readiness → readinessProbe',
    { verdict: 'unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503' },
    'readinessProbe:',
    1
  ],
  [
    'OOMKilled → limits.memory',
    {
      verdict: 'crash-loop',
      message: 'exited: OOMKilled: the container exceeded its memory limit (exit 137)'
    },
    'memory: 4Gi',
    2
  ]
] as [string, Partial<Finding>, string, number][])('%s', (_n, f, text, nth) => {
  expect(at(f)).toEqual({ file: 'deploy/all.yaml', startLine: lineOf(text, nth) })
})

test('the default container is the one the finding names, not the first', () => {
  expect(at({ verdict: 'stale', container: 'istio-proxy' })).toEqual({
    file: 'deploy/all.yaml',
    startLine: lineOf('image: istio/proxyv2')
  })
})

test('globs that match nothing, or a workload not in the files, are said, not fatal', () => {
  expect(
    loadManifests(['nope/*.yaml'], ws, { kind: 'Deployment', name: 'web', namespace: 'shop' }).problems
  ).toEqual(['manifests: "nope/*.yaml" matches no file'])
  expect(
    loadManifests(['deploy/all.yaml'], ws, { kind: 'Deployment', name: 'api', namespace: 'shop' }).problems[0]
  ).toMatch(/no Deployment "api"/)
})

test('the applied YAML supplies the workload list', async () => {
  const { workloadsIn } = await import('../../src/report/manifests.js')
  expect(workloadsIn(['deploy/*.yaml'], ws)).toEqual(['deployment/other', 'deployment/web'])
})
