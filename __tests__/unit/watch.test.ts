// The watch over node:https (src/kube/api.ts) and the cache on it (src/kube/collection.ts): events split across
// chunks, bookmarks, a stream that ends, an error answer, 410 Gone (in the stream and as the answer) relisting,
// stop(), an exec plugin's token minted afresh for each watch, and a paged list trimmed page by page.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ApiError, KubeApi } from '../../src/kube/api.js'
import { Collection } from '../../src/kube/collection.js'
import { trimPod } from '../../src/kube/trim.js'
import type { Pod } from '../../src/kube/types.js'
import { KubeConfig } from '../../src/kube/client-node.js'

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void

let server: Server
let handler: Handler
let base = ''
const seen: { url: URL; auth?: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    seen.push({ url, auth: req.headers.authorization })
    handler(req, res, url)
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const a = server.address()
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`
})
afterAll(() => new Promise<void>(r => server.close(() => r())))
beforeEach(() => (seen.length = 0))

function config(user: Record<string, unknown> = { name: 'u', token: 't0' }): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: base, skipTLSVerify: true }],
    users: [user],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x'
  })
  return kc
}

const pod = (name: string, rv: string): object => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: rv },
  status: { phase: 'Running' }
})
const line = (type: string, object: object): string => JSON.stringify({ type, object }) + '\n'

function watchOnce(
  api: KubeApi,
  query: Record<string, string> = {}
): Promise<{ events: [string, unknown][]; err?: unknown }> {
  const events: [string, unknown][] = []
  return new Promise(resolve => {
    void api.watch(
      '/api/v1/namespaces/ns/pods',
      query,
      (t, o) => events.push([t, o]),
      err => resolve({ events, err })
    )
  })
}

test('events arrive whole however the stream is cut; bookmarks pass; lines that are not JSON are skipped', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const text =
      line('ADDED', pod('a', '2')) + 'not json\n' + line('BOOKMARK', { metadata: { resourceVersion: '3' } })
    const big = line('MODIFIED', { ...pod('a', '4'), spec: { note: 'ü'.repeat(100_000) } })
    // Cut mid-line, and mid-character (ü is two bytes in UTF-8).
    const all = Buffer.from(text + big)
    const mid = all.indexOf(Buffer.from('ü')) + 1001
    res.write(all.subarray(0, 7))
    res.write(all.subarray(7, mid))
    setTimeout(() => res.end(all.subarray(mid)), 20)
  }
  const api = new KubeApi(config())
  const { events, err } = await watchOnce(api, { resourceVersion: '1', allowWatchBookmarks: 'true' })
  expect(err).toBeUndefined()
  expect(events.map(([t]) => t)).toEqual(['ADDED', 'BOOKMARK', 'MODIFIED'])
  expect((events[2]![1] as { spec: { note: string } }).spec.note).toBe('ü'.repeat(100_000))
  expect(seen[0]!.url.searchParams.get('watch')).toBe('true')
  expect(seen[0]!.url.searchParams.get('resourceVersion')).toBe('1')
  expect(seen[0]!.auth).toBe('Bearer t0')
  expect(api.requests).toBe(1)
})

test("a paged list is trimmed page by page: each page's items before the next page is asked for", async () => {
  const heavy = (name: string): object => ({
    ...pod(name, '5'),
    metadata: { ...(pod(name, '5') as Pod).metadata, managedFields: [{ manager: 'kubelet' }] },
    spec: { containers: [{ name: 'web', image: 'web:1', env: [{ name: 'A', value: 'x' }] }] }
  })
  handler = (_req, res, url) => {
    const second = url.searchParams.get('continue') === 'p2'
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        metadata: { resourceVersion: '9', ...(second ? {} : { continue: 'p2' }) },
        items: second ? [heavy('c')] : [heavy('a'), heavy('b')]
      })
    )
  }
  const trimmedBefore: number[] = []
  const api = new KubeApi(config())
  const { items, resourceVersion } = await api.list<Pod>(
    '/api/v1/namespaces/ns/pods',
    {},
    {
      pageSize: 2,
      trim: p => {
        trimmedBefore.push(seen.length)
        return trimPod(p)
      }
    }
  )
  expect(resourceVersion).toBe('9')
  expect(items.map(p => p.metadata.name)).toEqual(['a', 'b', 'c'])
  expect(items.every(p => !('managedFields' in p.metadata))).toBe(true)
  expect(items[0]!.spec!.containers).toEqual([{ name: 'web', image: 'web:1' }])
  // Page one's items were trimmed while only page one had been asked for.
  expect(trimmedBefore).toEqual([1, 1, 2])
  expect(seen.map(s => s.url.searchParams.get('limit'))).toEqual(['2', '2'])
  // A cache lists through the same trim.
  const c = new Collection<Pod>(api, '/api/v1/namespaces/ns/pods', {}, () => undefined, { trim: trimPod })
  await c.sync()
  c.stop()
  expect(c.objects.map(p => Object.keys(p.metadata).includes('managedFields'))).toEqual([false, false, false])
})

test('an error answer ends the watch with the API error: its status, reason and message', async () => {
  handler = (_req, res) => {
    res.writeHead(410, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' })
    )
  }
  const { err } = await watchOnce(new KubeApi(config()))
  expect(err).toBeInstanceOf(ApiError)
  expect(err).toMatchObject({ status: 410, reason: 'Expired', message: 'too old resource version' })
})

test('stop() ends the watch without calling onDone', async () => {
  let closed!: () => void
  const gone = new Promise<void>(r => (closed = r))
  handler = (_req, res) => {
    res.writeHead(200)
    res.write(line('ADDED', pod('a', '2')))
    res.on('close', closed)
  }
  let done = false
  let events = 0
  const stop = await new KubeApi(config()).watch(
    '/api/v1/namespaces/ns/pods',
    {},
    () => {
      events++
      stop()
    },
    () => (done = true)
  )
  await gone
  expect(events).toBe(1)
  expect(done).toBe(false)
})

test('a cache relists after 410 Gone, in the stream or as the answer, and watches on from the new list', async () => {
  let lists = 0
  let watches = 0
  handler = (_req, res, url) => {
    if (url.searchParams.get('watch') !== 'true') {
      lists++
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ metadata: { resourceVersion: String(lists * 10) }, items: [pod('a', '1')] }))
      return
    }
    watches++
    if (watches === 1) {
      res.writeHead(200)
      res.write(line('ADDED', pod('b', '11')))
      res.end(line('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }))
    } else if (watches === 2) {
      res.writeHead(410, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'gone' }))
    } else {
      res.writeHead(200)
      res.write(line('DELETED', pod('a', '31')))
    }
  }
  let changes = 0
  let wake: () => void = () => undefined
  const c = new Collection<{ metadata: { name: string } }>(
    new KubeApi(config()),
    '/api/v1/namespaces/ns/pods',
    {},
    () => {
      changes++
      wake()
    }
  )
  const until = async (ok: () => boolean): Promise<void> => {
    while (!ok()) await new Promise<void>(r => (wake = r))
  }
  try {
    await c.sync()
    await until(() => !c.isSynced) // the ERROR 410 in the stream
    await c.sync()
    await until(() => !c.isSynced) // the 410 answer
    await c.sync()
    await until(() => c.objects.length === 0) // watching from the third list: a's deletion
    expect(lists).toBe(3)
    expect(watches).toBe(3)
    const rvs = seen
      .filter(s => s.url.searchParams.get('watch'))
      .map(s => s.url.searchParams.get('resourceVersion'))
    expect(rvs).toEqual(['10', '20', '30'])
    expect(changes).toBeGreaterThanOrEqual(3)
  } finally {
    c.stop()
  }
})

test("an exec plugin's token is minted for each watch, and reported for masking", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kv-watch-exec-'))
  const plugin = join(dir, 'plugin.cjs')
  // Each run mints a new token that has already expired, so the next request runs the plugin again.
  writeFileSync(
    plugin,
    `#!${process.execPath}
const fs = require('node:fs'), f = ${JSON.stringify(join(dir, 'n'))}
const n = (fs.existsSync(f) ? Number(fs.readFileSync(f, 'utf8')) : 0) + 1
fs.writeFileSync(f, String(n))
console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential',
  status: { token: 'minted-' + n, expirationTimestamp: new Date(Date.now() - 1000).toISOString() } }))`
  )
  chmodSync(plugin, 0o755)
  handler = (_req, res) => {
    res.writeHead(200)
    res.end(line('BOOKMARK', { metadata: { resourceVersion: '5' } }))
  }
  const tokens: string[] = []
  const api = new KubeApi(
    config({
      name: 'u',
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: plugin,
        args: [],
        interactiveMode: 'Never'
      }
    }),
    { onToken: t => tokens.push(t) }
  )
  await watchOnce(api)
  await watchOnce(api)
  expect(seen.map(s => s.auth)).toEqual(['Bearer minted-1', 'Bearer minted-2'])
  expect(tokens).toEqual(['minted-1', 'minted-2'])
})
