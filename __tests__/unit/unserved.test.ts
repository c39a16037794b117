// A workload whose kind the API server does not serve (its CRD is not installed): the real kube-apiserver
// answers the list `404 page not found` (plain text, not a Status). That is not API trouble to retry until the
// deadline (it was, and ended `unreachable` after the whole wait): the workload cannot exist, and says why.
import { ApiError, type KubeApi } from '../../src/kube/api.js'
import { SnapshotReader } from '../../src/kinds/reader.js'
import { decide } from '../../src/verdict/decide.js'

function apiAnswering404(): KubeApi {
  return {
    requests: 0,
    // The body as the real apiserver sends it, new line and all.
    list: () => Promise.reject(new ApiError(404, 'Not Found', '404 page not found\n')),
    get: () => Promise.reject(new ApiError(404, 'Not Found', '404 page not found')),
    text: () => Promise.reject(new ApiError(404, 'Not Found', '404 page not found')),
    watch: () => Promise.resolve(() => undefined)
  } as unknown as KubeApi
}

test('a Knative Service on a cluster without Knative: not-found naming the unserved resource', async () => {
  const reader = new SnapshotReader(apiAnswering404(), {
    kind: 'KnativeService',
    name: 'web',
    namespace: 'shop'
  })
  try {
    const snap = await reader.read()
    expect(snap.object).toBeNull()
    const d = decide(snap)
    expect(d.verdict).toBe('not-found')
    expect(d.reason).toBe(
      'ksvc/web cannot exist in namespace shop: the API server does not serve services.serving.knative.dev/v1 (404 page not found): is its CustomResourceDefinition installed?'
    )
  } finally {
    reader.stop()
  }
})

test("a team's own kind not served: the same, with its group and version", async () => {
  const reader = new SnapshotReader(apiAnswering404(), {
    kind: 'Generic',
    name: 'orders',
    namespace: 'shop',
    resource: { group: 'db.example.com', version: 'v1', plural: 'databases' }
  })
  try {
    const d = decide(await reader.read())
    expect(d.verdict).toBe('not-found')
    expect(d.reason).toMatch(/does not serve databases\.db\.example\.com\/v1 \(404 page not found\)/)
  } finally {
    reader.stop()
  }
})

test('other API errors on the workload are still thrown (retried, or fatal for 401/403)', async () => {
  const api = {
    ...apiAnswering404(),
    list: () => Promise.reject(new ApiError(503, 'Service Unavailable', 'etcd leader changed'))
  } as unknown as KubeApi
  const reader = new SnapshotReader(api, { kind: 'KnativeService', name: 'web', namespace: 'shop' })
  try {
    await expect(reader.read()).rejects.toThrow('etcd leader changed')
  } finally {
    reader.stop()
  }
})
