// Raw JSON GETs and watches through @kubernetes/client-node's KubeConfig (its TLS, tokens, exec plugins),
// with a per-request deadline so that a hung API server can never hold the action past its own.
import { request } from 'node:https'
import { request as httpRequest, type RequestOptions } from 'node:http'
import { Watch, type KubeConfig } from './client-node.js'

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
          reject(new ApiError(code, reason, message, Number.isFinite(ra) ? ra : undefined))
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
   */
  async list<T>(
    path: string,
    query: Record<string, string | number | boolean | undefined> = {},
    opts: { pageSize?: number; maxPages?: number; accept?: string } = {}
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
      items.push(...(page.items ?? []))
      cont = page.metadata?.continue || undefined
      rv = page.metadata?.resourceVersion ?? rv
    } while (cont)
    return { items, resourceVersion: rv, truncated: false }
  }

  /**
   * A watch through client-node's Watch. `onEvent` gets each event's type; `onDone` when the stream ends for
   * any reason. Returns a function that stops it.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, obj: unknown) => void,
    onDone: (err?: unknown) => void
  ): Promise<() => void> {
    this.requests++
    const w = new Watch(this.kc)
    const controller = await w.watch(path, query, onEvent, err => onDone(err ?? undefined))
    return () => controller.abort()
  }
}
