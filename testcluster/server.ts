// A stand-in kube-apiserver over HTTPS on loopback: discovery, get/list/watch, pod logs, auth, RBAC, faults.
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import { Faults, type Verb } from './faults.js'
import {
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError
} from './selectors.js'
import type { KObject } from './shared/object.js'
import { Store, type Change } from './store.js'
import { testTls } from './shared/tls.js'
import {
  discoveryCore,
  discoveryGroups,
  discoveryResources,
  discoveryVersion,
  findResource,
  groupVersion,
  type ResourceInfo
} from './resources.js'

export interface PolicyRule {
  apiGroups: string[]
  resources: string[]
  verbs: string[]
  /** Where a Role's rule applies; undefined for a ClusterRole's. */
  namespaces?: string[]
}

/** Who a bearer token is; no rules means cluster-admin. */
export interface Subject {
  user: string
  rules?: PolicyRule[]
}

export interface ServerOptions {
  seed?: number
  /** How often a watch that asked for bookmarks gets one. */
  bookmarkMs?: number
  /** The cluster's objects (a deterministic store for recorded fixtures). */
  store?: Store
}

export interface RequestCount {
  requests: number
  bytes: number
}

export function apiStatus(code: number, reason: string, message: string, details?: object): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code
  }
}

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: object
  ) {
    super(message)
  }
}

interface Route {
  verb: Verb
  resource?: ResourceInfo
  namespace?: string
  name?: string
  subresource?: string
  discovery?: () => object | undefined
}

export class TestApiServer {
  readonly store: Store
  readonly faults: Faults
  readonly tokens = new Map<string, Subject>()
  readonly adminToken = 'kv-admin-' + randomBytes(12).toString('hex')
  readonly caPem: string
  /** Requests and bytes served, by `verb resource` (e.g. `list pods`, `watch events`, `log pods`). */
  readonly counts = new Map<string, RequestCount>()
  /** The same, per client: `kubectl` (by its User-Agent) or `kube-verdict` (everything else). */
  readonly byClient = new Map<string, Map<string, RequestCount>>()
  /** When each client's first request arrived (ms since the epoch). */
  readonly firstRequestAt = new Map<string, number>()
  private server: Server
  private sockets = new Set<Socket>()
  private startedAt = Date.now()
  private bookmarkMs: number
  private outageTimer?: NodeJS.Timeout
  port = 0

  constructor(opts: ServerOptions = {}) {
    this.store = opts.store ?? new Store()
    const tls = testTls()
    this.caPem = tls.caPem
    this.faults = new Faults(opts.seed ?? 1)
    this.bookmarkMs = opts.bookmarkMs ?? 5000
    this.tokens.set(this.adminToken, { user: 'kubernetes-admin' })
    this.server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => this.handle(req, res))
    this.server.on('secureConnection', s => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`
  }

  async start(): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
    this.startedAt = Date.now()
    let down = false
    this.outageTimer = setInterval(() => {
      const now = this.faults.inOutage((Date.now() - this.startedAt) / 1000)
      if (now && !down) for (const s of this.sockets) s.destroy()
      down = now
    }, 50)
    this.outageTimer.unref()
    return this
  }

  async stop(): Promise<void> {
    clearInterval(this.outageTimer)
    for (const s of this.sockets) s.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  /** A token limited to the given RBAC rules. */
  addToken(subject: Subject): string {
    const token = 'kv-' + randomBytes(12).toString('hex')
    this.tokens.set(token, subject)
    return token
  }

  resetCounts(): void {
    this.counts.clear()
    this.byClient.clear()
    this.firstRequestAt.clear()
  }

  totals(client?: string): RequestCount {
    let requests = 0
    let bytes = 0
    for (const c of (client ? this.byClient.get(client) : this.counts)?.values() ?? []) {
      requests += c.requests
      bytes += c.bytes
    }
    return { requests, bytes }
  }

  private count(key: string, bytes: number, request: boolean, client: string): void {
    for (const map of [
      this.counts,
      this.byClient.get(client) ?? this.byClient.set(client, new Map()).get(client)!
    ]) {
      const c = map.get(key) ?? { requests: 0, bytes: 0 }
      if (request) c.requests++
      c.bytes += bytes
      map.set(key, c)
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1')
    let route: Route
    try {
      route = this.route(url.pathname)
    } catch (e) {
      return this.fail(res, e, 'other')
    }
    const watching = ['true', '1'].includes(url.searchParams.get('watch') ?? '')
    const verb: Verb = route.verb === 'list' && watching ? 'watch' : route.verb
    const key = `${verb} ${route.resource?.plural ?? ''}`.trim()
    const client = (req.headers['user-agent'] ?? '').startsWith('kubectl') ? 'kubectl' : 'kube-verdict'
    if (!this.firstRequestAt.has(client)) this.firstRequestAt.set(client, Date.now())
    this.count(key, 0, true, client)
    const write = res.write.bind(res)
    const end = res.end.bind(res)
    const countBytes = (chunk: unknown): void => {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array)
        this.count(key, Buffer.byteLength(chunk), false, client)
    }
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      countBytes(chunk)
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof res.write
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      countBytes(chunk)
      return (end as (...a: unknown[]) => ServerResponse)(chunk, ...rest)
    }) as typeof res.end

    const auth = req.headers.authorization ?? ''
    const subject = auth.startsWith('Bearer ') ? this.tokens.get(auth.slice(7)) : undefined
    if (!subject) return this.send(res, 401, apiStatus(401, 'Unauthorized', 'Unauthorized'))

    const fault = this.faults.pick(verb, route.resource?.plural ?? '', (Date.now() - this.startedAt) / 1000)
    if (fault && fault.kind !== 'drop-watch') {
      switch (fault.kind) {
        case 'reset':
          req.socket.destroy()
          return
        case 'hang':
          return // never answered; the client's timeout must save it
        case 'throttle':
          res.setHeader('Retry-After', String(fault.retryAfter))
          return this.send(
            res,
            429,
            apiStatus(429, 'TooManyRequests', 'Too many requests, please try again later.', {
              retryAfterSeconds: fault.retryAfter
            })
          )
        case 'status':
          return this.send(
            res,
            fault.status,
            apiStatus(
              fault.status,
              fault.status === 504 ? 'Timeout' : 'InternalError',
              `Internal error occurred: injected fault ${fault.status}`
            )
          )
      }
    }

    try {
      if (route.discovery) {
        const body = route.discovery()
        if (!body) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource')
        return this.send(res, 200, body)
      }
      const r = route.resource!
      // As the real apiserver's RequestInfo does: a list or watch by `metadata.name=` is about that name, and
      // RBAC's denial names it (`deployments.apps "web" is forbidden: … cannot list …`).
      const byName = /(?:^|,)metadata\.name=([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1]
      this.authorize(subject, { ...route, name: route.name ?? byName }, verb)
      if (route.subresource === 'log') return this.serveLog(res, route, url)
      if (route.name !== undefined && verb !== 'watch') {
        const obj = this.store.get(r.plural, route.namespace, route.name)
        if (!obj) throw notFound(r, route.name)
        return this.send(res, 200, obj)
      }
      if (verb === 'watch') {
        return this.serveWatch(req, res, route, url, fault?.kind === 'drop-watch' ? fault.afterMs : undefined)
      }
      return this.serveList(res, route, url)
    } catch (e) {
      return this.fail(res, e, key)
    }
  }

  private route(path: string): Route {
    const p = path.replace(/\/+$/, '').split('/').filter(Boolean)
    if (path === '/version') return { verb: 'discovery', discovery: discoveryVersion }
    if (path === '/api' || path === '/api/') return { verb: 'discovery', discovery: discoveryCore }
    if (path === '/apis' || path === '/apis/') return { verb: 'discovery', discovery: discoveryGroups }
    let group: string
    let version: string
    let rest: string[]
    if (p[0] === 'api' && p.length >= 2) {
      group = ''
      version = p[1]!
      rest = p.slice(2)
    } else if (p[0] === 'apis' && p.length >= 3) {
      group = p[1]!
      version = p[2]!
      rest = p.slice(3)
    } else {
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource')
    }
    if (rest.length === 0) return { verb: 'discovery', discovery: () => discoveryResources(group, version) }
    let namespace: string | undefined
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1]
      rest = rest.slice(2)
    }
    const resource = findResource(group, version, rest[0]!)
    if (!resource) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource')
    const name = rest[1]
    const subresource = rest[2]
    if (subresource !== undefined && !(resource.subresources ?? []).includes(subresource)) {
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource')
    }
    const verb: Verb = subresource === 'log' ? 'log' : name !== undefined ? 'get' : 'list'
    return { verb, resource, namespace, name, subresource }
  }

  private authorize(subject: Subject, route: Route, verb: Verb): void {
    if (!subject.rules) return
    const r = route.resource!
    const resource = route.subresource ? `${r.plural}/${route.subresource}` : r.plural
    const rbacVerb = verb === 'log' ? 'get' : verb
    const ok = subject.rules.some(
      rule =>
        (!rule.namespaces || (route.namespace !== undefined && rule.namespaces.includes(route.namespace))) &&
        (rule.apiGroups.includes('*') || rule.apiGroups.includes(r.group)) &&
        (rule.resources.includes('*') || rule.resources.includes(resource)) &&
        (rule.verbs.includes('*') || rule.verbs.includes(rbacVerb))
    )
    if (ok) return
    const named =
      route.name !== undefined
        ? `${r.plural}${r.group ? '.' + r.group : ''} "${route.name}"`
        : `${r.plural}${r.group ? '.' + r.group : ''}`
    const scope =
      route.namespace !== undefined ? `in the namespace "${route.namespace}"` : 'at the cluster scope'
    throw new HttpError(
      403,
      'Forbidden',
      `${named} is forbidden: User "${subject.user}" cannot ${rbacVerb} resource "${resource}" in API group "${r.group}" ${scope}`,
      {
        ...(route.name !== undefined ? { name: route.name } : {}),
        ...(r.group ? { group: r.group } : {}),
        kind: r.plural
      }
    )
  }

  private matcher(route: Route, url: URL): (o: KObject) => boolean {
    const r = route.resource!
    let labels: ReturnType<typeof parseLabelSelector>
    let fields: ReturnType<typeof parseFieldSelector>
    try {
      labels = parseLabelSelector(url.searchParams.get('labelSelector'))
      fields = parseFieldSelector(r.plural, url.searchParams.get('fieldSelector'))
    } catch (e) {
      if (e instanceof SelectorError) throw new HttpError(400, 'BadRequest', e.message)
      throw e
    }
    const name = route.name
    return o =>
      (route.namespace === undefined || o.metadata.namespace === route.namespace) &&
      (name === undefined || o.metadata.name === name) &&
      matchLabels(labels, o.metadata.labels) &&
      matchFields(fields, o as unknown as Record<string, unknown>)
  }

  private serveList(res: ServerResponse, route: Route, url: URL): void {
    const r = route.resource!
    const match = this.matcher(route, url)
    let items = this.store.list(r.plural, route.namespace).filter(match)
    const limit = Number(url.searchParams.get('limit') ?? 0)
    const cont = url.searchParams.get('continue')
    let start = 0
    let rv = this.store.rv
    if (cont) {
      try {
        const c = JSON.parse(Buffer.from(cont, 'base64').toString()) as { rv: number; start: number }
        start = c.start
        rv = c.rv
      } catch {
        throw new HttpError(
          400,
          'BadRequest',
          'continue key is not valid: illegal base64 data at input byte 0'
        )
      }
      if (rv < this.store.compactedRv) {
        throw new HttpError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'
        )
      }
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) }
    if (limit > 0 && items.length - start > limit) {
      metadata.continue = Buffer.from(JSON.stringify({ rv, start: start + limit })).toString('base64')
      metadata.remainingItemCount = items.length - start - limit
      items = items.slice(start, start + limit)
    } else {
      items = items.slice(start)
    }
    const listItems = items.map(o => {
      const { apiVersion: _a, kind: _k, ...rest } = o
      return rest
    })
    this.send(res, 200, {
      kind: `${r.servedKind ?? r.kind}List`,
      apiVersion: groupVersion(r),
      metadata,
      items: listItems
    })
  }

  private serveWatch(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    url: URL,
    dropAfterMs?: number
  ): void {
    const r = route.resource!
    const match = this.matcher({ ...route, name: route.name }, url)
    const rvParam = url.searchParams.get('resourceVersion')
    const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true'
    const timeoutS = Number(url.searchParams.get('timeoutSeconds') ?? 1800)
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private'
    })
    const sendEvent = (type: string, object: object): void => {
      res.write(JSON.stringify({ type, object }) + '\n')
    }
    const rv = rvParam ? Number(rvParam) : 0
    if (rv > 0 && rv < this.store.compactedRv) {
      sendEvent(
        'ERROR',
        apiStatus(410, 'Expired', `too old resource version: ${rv} (${this.store.compactedRv})`)
      )
      res.end()
      return
    }
    if (rv === 0) {
      for (const o of this.store.list(r.plural, route.namespace).filter(match)) sendEvent('ADDED', o)
    } else {
      for (const c of this.store.changesSince(rv))
        if (c.resource === r.plural && match(c.object)) sendEvent(c.type, c.object)
    }
    const onChange = (c: Change): void => {
      if (c.resource === r.plural && match(c.object)) sendEvent(c.type, c.object)
    }
    this.store.on('change', onChange)
    const timers: NodeJS.Timeout[] = []
    const finish = (): void => {
      this.store.off('change', onChange)
      timers.forEach(t => clearTimeout(t))
      if (!res.writableEnded) res.end()
    }
    if (bookmarks) {
      const t = setInterval(
        () =>
          sendEvent('BOOKMARK', {
            kind: r.servedKind ?? r.kind,
            apiVersion: groupVersion(r),
            metadata: { resourceVersion: String(this.store.rv) }
          }),
        this.bookmarkMs
      )
      timers.push(t)
    }
    timers.push(setTimeout(finish, timeoutS * 1000))
    if (dropAfterMs !== undefined) {
      timers.push(
        setTimeout(() => {
          finish()
          req.socket.destroy()
        }, dropAfterMs)
      )
    }
    req.on('close', finish)
    res.on('close', finish)
  }

  private serveLog(res: ServerResponse, route: Route, url: URL): void {
    const ns = route.namespace!
    const podName = route.name!
    const pod = this.store.get('pods', ns, podName)
    if (!pod) throw notFound(route.resource!, podName)
    const spec = pod.spec as { containers: { name: string }[]; initContainers?: { name: string }[] }
    const names = [...(spec.initContainers ?? []), ...spec.containers].map(c => c.name)
    let container = url.searchParams.get('container') ?? undefined
    if (!container) {
      if (spec.containers.length !== 1) {
        throw new HttpError(
          400,
          'BadRequest',
          `a container name must be specified for pod ${podName}, choose one of: [${spec.containers.map(c => c.name).join(' ')}]`
        )
      }
      container = spec.containers[0]!.name
    }
    if (!names.includes(container)) {
      throw new HttpError(400, 'BadRequest', `container ${container} is not valid for pod ${podName}`)
    }
    const previous = url.searchParams.get('previous') === 'true'
    const status = pod.status as
      { containerStatuses?: ContainerStatusLike[]; initContainerStatuses?: ContainerStatusLike[] } | undefined
    const cs = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])].find(
      c => c.name === container
    )
    let text = this.store.readLog(ns, podName, container, previous)
    if (previous && (text === undefined || text === '') && !cs?.lastState?.terminated) {
      throw new HttpError(
        400,
        'BadRequest',
        `previous terminated container "${container}" in pod "${podName}" not found`
      )
    }
    if (!previous && text === undefined) {
      const waiting = cs?.state?.waiting?.reason ?? 'ContainerCreating'
      throw new HttpError(
        400,
        'BadRequest',
        `container "${container}" in pod "${podName}" is waiting to start: ${waiting}`
      )
    }
    text ??= ''
    const tail = url.searchParams.get('tailLines')
    if (tail !== null) {
      const n = Number(tail)
      const lines = text.split('\n')
      if (lines[lines.length - 1] === '') lines.pop()
      text = lines
        .slice(Math.max(0, lines.length - n))
        .map(l => l + '\n')
        .join('')
    }
    const limitBytes = url.searchParams.get('limitBytes')
    if (limitBytes !== null) text = Buffer.from(text).subarray(0, Number(limitBytes)).toString()
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.end(text)
  }

  private send(res: ServerResponse, code: number, body: object): void {
    const text = JSON.stringify(body)
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
    res.end(text)
  }

  private fail(res: ServerResponse, e: unknown, _key: string): void {
    if (e instanceof HttpError)
      return this.send(res, e.code, apiStatus(e.code, e.reason, e.message, e.details))
    this.send(res, 500, apiStatus(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`))
  }
}

interface ContainerStatusLike {
  name: string
  state?: { waiting?: { reason?: string } }
  lastState?: { terminated?: object }
}

function notFound(r: ResourceInfo, name: string): HttpError {
  const res = r.group ? `${r.plural}.${r.group}` : r.plural
  return new HttpError(404, 'NotFound', `${res} "${name}" not found`, {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.plural
  })
}
