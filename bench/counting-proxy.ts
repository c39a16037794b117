// A TLS proxy in front of the real apiserver that counts what each tool asked for, by verb and resource (the
// stand-in server's `byClient` keys: `list pods`, `watch deployments`, `discovery`), and the bytes it was served.
import { Agent, createServer, request, type Server } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { classify } from '../testcluster/real/fault-proxy.js'
import type { ControlPlane } from '../testcluster/real/controlplane.js'
import type { RequestCount } from '../testcluster/server.js'

export class CountingProxy {
  /** By client (`kubectl` by its User-Agent, else `kube-verdict`), then by `verb resource`. */
  readonly byClient = new Map<string, Map<string, RequestCount>>()
  private readonly server: Server
  private readonly upstream: Agent
  private readonly sockets = new Set<Socket>()
  private port = 0

  constructor(private readonly cp: ControlPlane) {
    this.upstream = new Agent({ ca: cp.caPem, keepAlive: true })
    this.server = createServer(
      { cert: readFileSync(cp.pki.apiserverCrt), key: readFileSync(cp.pki.apiserverKey) },
      (req, res) => {
        const url = new URL(req.url ?? '/', this.url)
        const { verb, resource } = classify(req.method ?? 'GET', url)
        const who = /kubectl/.test(req.headers['user-agent'] ?? '') ? 'kubectl' : 'kube-verdict'
        const count = this.counter(who, verb === 'discovery' ? 'discovery' : `${verb} ${resource}`)
        count.requests++
        const upUrl = new URL(this.cp.url)
        const up = request(
          {
            host: upUrl.hostname,
            port: upUrl.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: upUrl.host },
            agent: this.upstream
          },
          upRes => {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers)
            upRes.on('data', (c: Buffer) => (count.bytes += c.length))
            upRes.pipe(res)
          }
        )
        up.on('error', () => res.destroy())
        res.on('close', () => up.destroy())
        req.pipe(up)
      }
    )
    this.server.on('secureConnection', s => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`
  }

  private counter(who: string, key: string): RequestCount {
    let byKey = this.byClient.get(who)
    if (!byKey) this.byClient.set(who, (byKey = new Map()))
    let c = byKey.get(key)
    if (!c) byKey.set(key, (c = { requests: 0, bytes: 0 }))
    return c
  }

  async start(): Promise<this> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    this.upstream.destroy()
    await new Promise<void>(r => this.server.close(() => r()))
  }
}
