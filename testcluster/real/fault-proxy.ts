// A TLS proxy in front of the real apiserver that injects faults on the real path: 5xx bursts, 429 with
// Retry-After, connection resets, hung responses, dropped watches and outages. Which request fails is decided by
// the same seeded rules the stand-in uses (testcluster/faults.ts); everything else is forwarded untouched, so the
// answers (and 410 Gone after a real etcd compaction) are the real apiserver's.
import { createServer, request, Agent, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { Faults, type FaultRule, type Verb } from '../faults.js'
import { apiStatus } from '../server.js'
import type { ControlPlane } from './controlplane.js'

/** verb and resource of an API request path, as the fault rules name them. */
export function classify(method: string, url: URL): { verb: Verb; resource: string } {
  const parts = url.pathname.split('/').filter(Boolean)
  if (parts.length <= 2 || parts[0] === 'version' || parts[0] === 'openapi')
    return { verb: 'discovery', resource: '' }
  // /api/v1/... or /apis/group/version/...
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3)
  const afterNs = rest[0] === 'namespaces' && rest.length >= 3 ? rest.slice(2) : rest
  const resource = afterNs[0] ?? ''
  if (afterNs[2] === 'log') return { verb: 'log', resource }
  if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1')
    return { verb: 'watch', resource }
  if (method === 'GET' && afterNs.length === 1) return { verb: 'list', resource }
  return { verb: 'get', resource }
}

type Count = { requests: number; bytes: number }

export class FaultProxy {
  readonly faults: Faults
  private server: Server
  private upstream: Agent
  private sockets = new Set<Socket>()
  private startedAt = Date.now()
  private outageTimer?: NodeJS.Timeout
  port = 0
  requests = 0
  /** 410 Gone answers the real apiserver gave (a status, or a watch's ERROR event), after etcd compaction. */
  gone = 0
  /** Requests and response bytes by client: `kubectl` (by its User-Agent) or `kube-verdict`. */
  readonly byClient = new Map<string, Count>()
  /** The same by client, then by `verb resource` (the stand-in server's keys: `list pods`, `discovery`). */
  readonly byRequest = new Map<string, Map<string, Count>>()

  constructor(
    private cp: ControlPlane,
    seed = 1
  ) {
    this.faults = new Faults(seed)
    this.upstream = new Agent({ ca: cp.caPem, keepAlive: true })
    this.server = createServer(
      { cert: readFileSync(cp.pki.apiserverCrt), key: readFileSync(cp.pki.apiserverKey) },
      (req, res) => this.handle(req, res)
    )
    this.server.on('secureConnection', s => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`
  }

  add(...rules: FaultRule[]): this {
    this.faults.add(...rules)
    return this
  }

  async start(): Promise<this> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r))
    this.port = (this.server.address() as AddressInfo).port
    this.startedAt = Date.now()
    let down = false
    this.outageTimer = setInterval(() => {
      const now = this.faults.inOutage(this.elapsed())
      if (now && !down) for (const s of this.sockets) s.destroy()
      down = now
    }, 50)
    this.outageTimer.unref()
    return this
  }

  private elapsed(): number {
    return (Date.now() - this.startedAt) / 1000
  }

  /** The request's counters (its client's, and its client's for its verb and resource), each counted once. */
  private count(req: IncomingMessage, verb: Verb, resource: string): Count[] {
    const who = /kubectl/.test(req.headers['user-agent'] ?? '') ? 'kubectl' : 'kube-verdict'
    const key = verb === 'discovery' ? 'discovery' : `${verb} ${resource}`
    const byKey = this.byRequest.get(who) ?? this.byRequest.set(who, new Map()).get(who)!
    const counters = [
      this.byClient.get(who) ?? this.byClient.set(who, { requests: 0, bytes: 0 }).get(who)!,
      byKey.get(key) ?? byKey.set(key, { requests: 0, bytes: 0 }).get(key)!
    ]
    for (const c of counters) c.requests++
    return counters
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++
    const url = new URL(req.url ?? '/', this.url)
    const { verb, resource } = classify(req.method ?? 'GET', url)
    const counters = this.count(req, verb, resource)
    const fault = this.faults.pick(verb, resource, this.elapsed())
    const json = (code: number, body: object, headers: Record<string, string> = {}): void => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    switch (fault?.kind) {
      case 'status':
        return json(fault.status, apiStatus(fault.status, 'InternalError', `injected ${fault.status}`))
      case 'throttle':
        return json(
          429,
          apiStatus(
            429,
            'TooManyRequests',
            'The server has received too many requests and has asked us to try again later.',
            {
              retryAfterSeconds: fault.retryAfter
            }
          ),
          { 'retry-after': String(fault.retryAfter) }
        )
      case 'reset':
        req.socket.destroy()
        return
      case 'hang':
        return // the socket stays open without an answer until the client gives up
      default:
        this.forward(
          req,
          res,
          counters,
          fault?.kind === 'drop-watch' && verb === 'watch' ? fault.afterMs : undefined
        )
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse, counters: Count[], dropAfterMs?: number): void {
    const up = request(
      {
        host: '127.0.0.1',
        port: new URL(this.cp.url).port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: new URL(this.cp.url).host },
        agent: this.upstream
      },
      upRes => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers)
        if (upRes.statusCode === 410) this.gone++
        upRes.on('data', (c: Buffer) => {
          for (const n of counters) n.bytes += c.length
          if (c.includes('"code":410')) this.gone++
        })
        upRes.pipe(res)
        if (dropAfterMs !== undefined)
          setTimeout(() => {
            upRes.destroy()
            res.end()
          }, dropAfterMs)
      }
    )
    up.on('error', () => res.destroy())
    res.on('close', () => up.destroy())
    req.pipe(up)
  }

  async stop(): Promise<void> {
    clearInterval(this.outageTimer)
    for (const s of this.sockets) s.destroy()
    this.upstream.destroy()
    await new Promise<void>(r => this.server.close(() => r()))
  }
}
