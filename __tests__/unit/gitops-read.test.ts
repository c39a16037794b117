// The deploy tool's object is listed once and watched: reads of the cache cost no request, a change wakes the
// wait; where RBAC refuses list (get only) it is read with a GET each time, as before.
import { gzipSync } from 'node:zlib'
import { ApiError, type KubeApi } from '../../src/kube/api.js'
import { StageReader } from '../../src/gitops/read.js'

const NEW = '9a8b7c6d5e4f30211223344556677889900aabbc'

type Event = (type: string, obj: unknown) => void

function fakeApi(o: { items: () => unknown[]; get?: (path: string) => unknown; listError?: ApiError }) {
  const calls = { list: [] as { path: string; accept?: string }[], get: [] as string[], watch: 0 }
  let emit: Event = () => {}
  const api = {
    requests: 0,
    list: async (path: string, _q: unknown, opts: { accept?: string } = {}) => {
      calls.list.push({ path, ...(opts.accept ? { accept: opts.accept } : {}) })
      if (o.listError) throw o.listError
      return { items: o.items(), resourceVersion: '100', truncated: false }
    },
    watch: async (_p: string, _q: unknown, onEvent: Event) => {
      calls.watch++
      emit = onEvent
      return () => {}
    },
    get: async (path: string) => {
      calls.get.push(path)
      return o.get!(path)
    }
  }
  return { api: api as unknown as KubeApi, calls, emit: (t: string, obj: unknown) => emit(t, obj) }
}

const app = (revision: string, phase: string) => ({
  metadata: { name: 'shop', namespace: 'argocd', resourceVersion: phase === 'Running' ? '101' : '102' },
  status: {
    sync: { status: phase === 'Running' ? 'OutOfSync' : 'Synced', revision },
    operationState: { phase, operation: { sync: { revision } }, syncResult: { revision } },
    resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' }]
  }
})

const argo = {
  tool: 'argocd' as const,
  namespace: 'argocd',
  name: 'shop',
  revision: { text: '9a8b7c6', sha: '9a8b7c6' }
}

test('Argo CD: one list and one watch; later reads cost no request; a change wakes the wait', async () => {
  const f = fakeApi({ items: () => [app(NEW, 'Running')] })
  let woken = 0
  const reader = new StageReader(f.api, argo, 'shop', () => woken++)
  expect((await reader.read()).phase).toBe('waiting')
  await new Promise(r => setImmediate(r))
  expect((await reader.read()).phase).toBe('waiting')
  expect(f.calls).toMatchObject({
    list: [{ path: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications' }],
    get: [],
    watch: 1
  })
  f.emit('MODIFIED', app(NEW, 'Succeeded'))
  expect(woken).toBe(1)
  expect(await reader.read()).toMatchObject({ phase: 'applied', revision: NEW })
  expect(f.calls.list).toHaveLength(1)
  reader.stop()
})

test('list refused (a Role with get only): a GET per read, as before', async () => {
  const f = fakeApi({
    items: () => [],
    listError: new ApiError(403, 'Forbidden', 'applications.argoproj.io is forbidden'),
    get: () => app(NEW, 'Succeeded')
  })
  const reader = new StageReader(f.api, argo, 'shop')
  expect((await reader.read()).phase).toBe('applied')
  expect((await reader.read()).phase).toBe('applied')
  expect(f.calls.list).toHaveLength(1)
  expect(f.calls.get).toEqual([
    '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop',
    '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop'
  ])
})

test('Helm: its storage is listed as metadata and watched; the release data of a watch event is dropped', async () => {
  const release = Buffer.from(
    gzipSync(
      JSON.stringify({
        version: 2,
        info: { status: 'deployed', description: 'Upgrade complete' },
        manifest: ''
      })
    ).toString('base64')
  ).toString('base64')
  const secret = (version: number, status: string, withData: boolean) => ({
    metadata: {
      name: `sh.helm.release.v1.web.v${version}`,
      namespace: 'shop',
      resourceVersion: String(200 + version),
      labels: { owner: 'helm', name: 'web', status, version: String(version) }
    },
    ...(withData ? { data: { release } } : {})
  })
  const f = fakeApi({ items: () => [secret(1, 'deployed', false)], get: () => ({ data: { release } }) })
  const reader = new StageReader(
    f.api,
    { tool: 'helm', release: 'web', driver: 'secret', revision: 2 },
    'shop'
  )
  expect((await reader.read()).phase).toBe('waiting')
  expect(f.calls.list[0]!.accept).toMatch(/^application\/json;as=PartialObjectMetadataList/)
  await new Promise(r => setImmediate(r))
  f.emit('ADDED', secret(2, 'deployed', true))
  expect(await reader.read()).toMatchObject({ phase: 'applied', revision: '2' })
  // The record is fetched once for that resourceVersion, then kept.
  await reader.read()
  expect(f.calls.get).toEqual(['/api/v1/namespaces/shop/secrets/sh.helm.release.v1.web.v2'])
  expect(
    JSON.stringify((reader as unknown as { watched: { objects: unknown[] } }).watched.objects)
  ).not.toContain(release)
})
