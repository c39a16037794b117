// The test world's own way to the real apiserver: plain JSON over HTTPS with the admin token. It is what the
// world's machines (kubelets, the autoscaler, a CI runner applying YAML) would use; the action under test goes
// through @kubernetes/client-node instead.
import { Agent, request } from 'node:https'
import type { KObject } from '../shared/object.js'

/** The shared object type with its spec and status read untyped, by the name the real world's files know it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = KObject<any, any>

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly body: string
  ) {
    super(`HTTP ${code}: ${body.slice(0, 500)}`)
  }
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply'
const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml'
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: Obj
}

export class Client {
  private agent: Agent

  constructor(
    readonly server: string,
    readonly caPem: string,
    readonly token: string
  ) {
    this.agent = new Agent({ ca: caPem, keepAlive: true, maxSockets: 32 })
  }

  close(): void {
    this.agent.destroy()
  }

  async raw(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json'
  ): Promise<{ code: number; text: string }> {
    const url = new URL(path, this.server)
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    return await new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            'user-agent': 'kube-verdict-test-world',
            ...(payload !== undefined
              ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }
              : {})
          }
        },
        res => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ code: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
          res.on('error', reject)
        }
      )
      req.on('error', reject)
      if (payload !== undefined) req.write(payload)
      req.end()
    })
  }

  async json<T = Obj>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await this.raw(method, path, body, contentType)
    if (r.code >= 300) throw new ApiError(r.code, r.text)
    return JSON.parse(r.text) as T
  }

  get(path: string): Promise<Obj> {
    return this.json('GET', path)
  }

  async getOrUndefined(path: string): Promise<Obj | undefined> {
    const r = await this.raw('GET', path)
    if (r.code === 404) return undefined
    if (r.code >= 300) throw new ApiError(r.code, r.text)
    return JSON.parse(r.text) as Obj
  }

  async list(path: string): Promise<Obj[]> {
    return (await this.json<{ items: Obj[] }>('GET', path)).items
  }

  create(path: string, obj: unknown): Promise<Obj> {
    return this.json('POST', path, obj)
  }

  patch(path: string, patch: unknown, type: PatchType = 'merge'): Promise<Obj> {
    return this.json('PATCH', path, patch, PATCH_TYPES[type])
  }

  /** Server-side apply, as `kubectl apply --server-side` does it. */
  apply(path: string, obj: unknown, fieldManager = 'kube-verdict-test-world'): Promise<Obj> {
    const sep = path.includes('?') ? '&' : '?'
    return this.json('PATCH', `${path}${sep}fieldManager=${fieldManager}&force=true`, obj, PATCH_TYPES.apply)
  }

  async delete(path: string, body?: unknown): Promise<void> {
    const r = await this.raw('DELETE', path, body)
    if (r.code >= 300 && r.code !== 404) throw new ApiError(r.code, r.text)
  }

  /**
   * Watches a collection from `resourceVersion`; calls `on` per event until `stop()`. Re-lists nothing by
   * itself: the caller decides what a dropped watch means.
   */
  watch(path: string, on: (e: WatchEvent) => void, onEnd: (err?: Error) => void): { stop: () => void } {
    const sep = path.includes('?') ? '&' : '?'
    const url = new URL(`${path}${sep}watch=true&allowWatchBookmarks=true`, this.server)
    let stopped = false
    const req = request(
      url,
      {
        method: 'GET',
        agent: this.agent,
        headers: { authorization: `Bearer ${this.token}`, 'user-agent': 'kube-verdict-test-world' }
      },
      res => {
        if ((res.statusCode ?? 0) >= 300) {
          res.resume()
          onEnd(new ApiError(res.statusCode ?? 0, 'watch refused'))
          return
        }
        let buf = ''
        res.on('data', (c: Buffer) => {
          buf += c.toString()
          let nl: number
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim()
            buf = buf.slice(nl + 1)
            if (line) on(JSON.parse(line) as WatchEvent)
          }
        })
        res.on('end', () => !stopped && onEnd())
        res.on('error', e => !stopped && onEnd(e))
      }
    )
    req.on('error', e => !stopped && onEnd(e))
    req.end()
    return {
      stop: () => {
        stopped = true
        req.destroy()
      }
    }
  }
}
