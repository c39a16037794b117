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
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
`
writeFileSync(join(ws, 'deploy', 'all.yaml'), YAML)
const lineOf = (text: string, nth = 1): number => {
  let seen = 0
  const lines = YAML.split('\n')
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(text) && ++seen === nth) return i + 1
  throw new Error(text)
}

const web = { kind: 'Deployment', name: 'web' } as const
const m = loadManifests(['deploy/*.yaml'], ws, [web], 'shop')
const at = (f: Partial<Finding>) =>
  m.locate({
    severity: 'error',
    subject: 'pod/web-1',
    message: '',
    verdict: 'stale',
    cause: 'digest-mismatch',
    facts: { running: 'sha256:1', built: 'sha256:2' },
    container: 'web',
    workload: web,
    ...f
  } as Finding)
const reason = (cause: string, text: string) => ({ cause, text, nodes: 3 })

test.each([
  ['stale → image:', {}, 'image: registry.example.com', 1],
  [
    'image-pull → image:',
    { verdict: 'image-pull', cause: 'image-pull', facts: { why: '' } },
    'image: registry.example.com',
    1
  ],
  [
    'Insufficient memory → resources.requests',
    {
      verdict: 'scheduling',
      container: undefined,
      cause: 'unschedulable',
      facts: { total: 3, reasons: [reason('resources', 'Insufficient memory')] }
    },
    'requests:',
    1
  ],
  [
    'taint → tolerations',
    {
      verdict: 'scheduling',
      cause: 'unschedulable',
      facts: { reasons: [reason('taint', 'node(s) had untolerated taint {dedicated: gpu}')] }
    },
    'tolerations:',
    1
  ],
  [
    'affinity → nodeSelector',
    {
      verdict: 'scheduling',
      cause: 'unschedulable',
      facts: { reasons: [reason('node-affinity', "node(s) didn't match Pod's node affinity/selector")] }
    },
    'nodeSelector:',
    1
  ],
  [
    'missing Secret → the reference',
    {
      verdict: 'config-error',
      cause: 'missing-config',
      facts: { object: 'Secret', name: 'db-creds', via: 'container' }
    },
    'name: db-creds',
    1
  ],
  [
    'a key missing from a Secret the kubelet names namespace/name → the reference',
    {
      verdict: 'config-error',
      cause: 'missing-config',
      facts: { object: 'Secret', name: 'shop/db-creds', key: 'password', via: 'container' }
    },
    'name: db-creds',
    1
  ],
  [
    'readiness → readinessProbe',
    { verdict: 'unhealthy', cause: 'probe', facts: { probe: 'Readiness' } },
    'readinessProbe:',
    1
  ],
  [
    'killed for its liveness probe → livenessProbe',
    {
      verdict: 'crash-loop',
      cause: 'crash',
      facts: {
        restarts: 3,
        exitCode: 137,
        reason: 'Error',
        previousLog: true,
        killedBy: { probe: 'Liveness' }
      }
    },
    'livenessProbe:',
    1
  ],
  [
    'OOMKilled → limits.memory',
    {
      verdict: 'crash-loop',
      cause: 'crash',
      facts: { restarts: 3, exitCode: 137, reason: 'OOMKilled', previousLog: true }
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
  expect(loadManifests(['nope/*.yaml'], ws, [web], 'shop').problems).toEqual([
    'manifests: "nope/*.yaml" matches no file'
  ])
  expect(
    loadManifests(['deploy/all.yaml'], ws, [{ kind: 'Deployment', name: 'api' }], 'shop').problems[0]
  ).toMatch(/no deployment\/api in 1 file/)
})

test('the applied YAML supplies the workload list', async () => {
  const { workloadsIn } = await import('../../src/report/manifests.js')
  expect(workloadsIn(['deploy/*.yaml'], ws)).toEqual(['deployment/other', 'deployment/web'])
})
