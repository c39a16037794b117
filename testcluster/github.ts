// A stand-in GitHub REST API on loopback, for the deployment-status tests: real HTTP through @actions/github.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  auth?: string
  body?: Record<string, unknown>
}

export class TestGitHubApi {
  readonly requests: RecordedRequest[] = []
  private server: Server
  port = 0

  constructor(
    private readonly deployments: { id: number; environment: string }[] = [
      { id: 4242, environment: 'production' }
    ]
  ) {
    this.server = createServer((req, res) => {
      let data = ''
      req.on('data', c => (data += c))
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x')
        const rec: RecordedRequest = {
          method: req.method ?? '',
          path: url.pathname + url.search,
          ...(req.headers.authorization ? { auth: req.headers.authorization } : {})
        }
        if (data) rec.body = JSON.parse(data) as Record<string, unknown>
        this.requests.push(rec)
        const send = (code: number, body: unknown): void => {
          res.writeHead(code, { 'Content-Type': 'application/json' })
          res.end(JSON.stringify(body))
        }
        if (!req.headers.authorization) return send(401, { message: 'Requires authentication' })
        let m = /^\/repos\/([^/]+)\/([^/]+)\/deployments$/.exec(url.pathname)
        if (m && req.method === 'GET') {
          const env = url.searchParams.get('environment')
          return send(
            200,
            this.deployments.filter(d => !env || d.environment === env).sort((a, b) => b.id - a.id)
          )
        }
        m = /^\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/.exec(url.pathname)
        if (m && req.method === 'POST') {
          if (!this.deployments.some(d => d.id === Number(m![3]))) return send(404, { message: 'Not Found' })
          return send(201, { id: this.requests.length, state: rec.body?.state })
        }
        send(404, { message: 'Not Found' })
      })
    })
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(): Promise<this> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  async stop(): Promise<void> {
    await new Promise<void>(r => this.server.close(() => r()))
  }
}
