// Raw JSON GETs and watches over node:https with @kubernetes/client-node's KubeConfig (its TLS, tokens, exec plugins),
// with a per-request deadline so that a hung API server can never hold the action past its own.
import { request } from 'node:https'
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import type { KubeConfig } from './client-node.js'

/** The API answered with an error Status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly retryAfterS?: number
  ) {
    super(message)
  }
}

/** No answer: refused, reset, timed out, TLS failure. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code?: string
  ) {
    super(message)
  }
}

export interface ApiOptions {
  requestTimeoutMs?: number
  /** Called with each bearer token the config produces (exec plugins mint them at run time). */
  onToken?: (token: string) => void
}

export class KubeApi {
  private readonly server: string
  private readonly timeoutMs: number
  requests = 0

  constructor(
    private readonly kc: KubeConfig,
    private readonly opts: ApiOptions = {}
  ) {
    this.server = kc.getCurrentCluster()!.server.replace(/\/+$/, '')
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000
  }

  private url(path: string, query: Record<string, string | number | boolean | undefined> = {}): URL {
    const u = new URL(this.server + path)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v))
    return u
  }

  private async options(): Promise<RequestOptions & { headers: Record<string, string> }> {
    const o: RequestOptions & { headers: Record<string, string> } = { headers: {} }
    await this.kc.applyToHTTPSOptions(o as never)
    const auth = o.headers.Authorization ?? o.headers.authorization
    if (auth?.startsWith('Bearer ')) this.opts.onToken?.(auth.slice(7))
    return o
  }

  async text(
    path: string,
    query: Record<string, string | number | boolean | undefined> = {},
    signal?: AbortSignal,
    /** Another representation (a metadata-only list: `application/json;as=PartialObjectMetadataList;…`). */
    accept = 'application/json, */*'
  ): Promise<string> {
    const u = this.url(path, query)
    const o = await this.options()
    this.requests++
    return new Promise<string>((resolve, reject) => {
      const send = u.protocol === 'http:' ? httpRequest : request
      const req = send(u, { ...o, method: 'GET', headers: { ...o.headers, Accept: accept }, signal }, res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', e => reject(new TransportError(`reading ${u.pathname}: ${e.message}`)))
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          const code = res.statusCode ?? 0
          if (code >= 200 && code < 300) return resolve(body)
          reject(apiError(res, body))
        })
      })
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(
          new TransportError(`no answer from ${u.host} within ${this.timeoutMs / 1000}s`, 'ETIMEDOUT')
        )
      )
      req.on('error', e => {
        if (e instanceof TransportError) return reject(e)
        const code = (e as NodeJS.ErrnoException).code
        reject(new TransportError(`${u.host}: ${e.message}`, code))
      })
      req.end()
    })
  }

  async get<T>(
    path: string,
    query: Record<string, string | number | boolean | undefined> = {},
    signal?: AbortSignal,
    accept?: string
  ): Promise<T> {
    const body = await this.text(path, query, signal, accept)
    try {
      return JSON.parse(body) as T
    } catch {
      throw new TransportError(`${path}: the answer is not JSON`)
    }
  }

  /**
   * Lists page by page (`limit`/`continue`), so a large collection never arrives in one response. `maxPages`
   * bounds what a hostile or runaway collection (100,000 events about one pod) can cost; `truncated` says so.
   * `trim` applies to each page's items as it arrives, so that only one parsed page (500 real pods are ~10 MB of
   * JSON) is whole at a time, never the whole collection.
   */
  async list<T>(
    path: string,
    query: Record<string, string | number | boolean | undefined> = {},
    opts: { pageSize?: number; maxPages?: number; accept?: string; trim?: (o: T) => T } = {}
  ): Promise<{ items: T[]; resourceVersion: string; truncated: boolean }> {
    const items: T[] = []
    let cont: string | undefined
    let rv = ''
    let pages = 0
    do {
      if (opts.maxPages !== undefined && pages++ >= opts.maxPages)
        return { items, resourceVersion: rv, truncated: true }
      const page = await this.get<{
        items?: T[]
        metadata?: { continue?: string; resourceVersion?: string }
      }>(path, { ...query, limit: opts.pageSize ?? 500, continue: cont }, undefined, opts.accept)
      for (const o of page.items ?? []) items.push(opts.trim ? opts.trim(o) : o)
      cont = page.metadata?.continue || undefined
      rv = page.metadata?.resourceVersion ?? rv
    } while (cont)
    return { items, resourceVersion: rv, truncated: false }
  }

  /**
   * A watch over node:https with the config's TLS and auth, applied afresh on each call (exec plugins mint
   * tokens at run time). Not client-node's Watch: its fetch, web stream and readline held about 15 MB more at the
   * peak of a 1,000-pod rollout. `onEvent` gets each event; `onDone` once, when the stream ends for any reason
   * (an ApiError for a non-200 answer). Returns a function that stops it (onDone is then not called).
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, obj: unknown) => void,
    onDone: (err?: unknown) => void
  ): Promise<() => void> {
    const u = this.url(path, { ...query, watch: 'true' })
    const o = await this.options()
    this.requests++
    let ended = false
    let answered = false
    const end = (err?: unknown): void => {
      if (ended) return
      ended = true
      req.destroy()
      onDone(err)
    }
    const send = u.protocol === 'http:' ? httpRequest : request
    const req = send(
      u,
      { ...o, method: 'GET', headers: { ...o.headers, Accept: 'application/json' } },
      res => {
        const code = res.statusCode ?? 0
        if (code !== 200) return statusError(res).then(end, end)
        // After the answer, silence past WATCH_IDLE_MS (servers send bookmarks well within it) is a dead connection.
        answered = true
        req.setTimeout(WATCH_IDLE_MS)
        res.setEncoding('utf8')
        let rest = ''
        res.on('data', (chunk: string) => {
          if (!chunk.includes('\n')) return void (rest += chunk) // one large object arrives in many chunks
          const lines = (rest + chunk).split('\n')
          rest = lines.pop()!
          for (const line of lines) {
            if (ended) return
            if (!line) continue
            try {
              const e = JSON.parse(line) as { type?: string; object?: unknown }
              if (e.type) onEvent(e.type, e.object)
            } catch {
              // a line that is not JSON is skipped, and a failing handler does not end the watch, as with client-node
            }
          }
        })
        res.on('end', () => end())
        res.on('error', e => end(new TransportError(`watching ${u.pathname}: ${e.message}`)))
        res.on('close', () => end())
      }
    )
    req.setTimeout(this.timeoutMs, () => {
      const s = (answered ? WATCH_IDLE_MS : this.timeoutMs) / 1000
      end(new TransportError(`${answered ? 'silence' : 'no answer'} from ${u.host} for ${s}s`, 'ETIMEDOUT'))
    })
    req.on('error', e => end(e instanceof TransportError ? e : new TransportError(`${u.host}: ${e.message}`)))
    req.end()
    return () => {
      ended = true
      req.destroy()
    }
  }
}

/** Silence on an open watch past this is taken as a dead connection (the apiserver sends a bookmark a minute). */
const WATCH_IDLE_MS = 90_000

/** The ApiError of a non-2xx answer, from its Status body where there is one. */
function statusError(res: IncomingMessage): Promise<ApiError> {
  return new Promise(resolve => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    const done = (): void => resolve(apiError(res, Buffer.concat(chunks).toString('utf8')))
    res.on('end', done)
    res.on('error', done)
  })
}

function apiError(res: IncomingMessage, body: string): ApiError {
  let message = body.slice(0, 500)
  let reason = res.statusMessage ?? ''
  try {
    const s = JSON.parse(body) as { message?: string; reason?: string }
    message = s.message ?? message
    reason = s.reason ?? reason
  } catch {
    // not a Status object
  }
  const ra = Number(res.headers['retry-after'])
  return new ApiError(res.statusCode ?? 0, reason, message, Number.isFinite(ra) ? ra : undefined)
}
