// A cluster behind a proxy (the kubeconfig's `proxy-url`): the bundle loads client-node's proxy agents only when a
// kubeconfig asks for them (patches/@kubernetes+client-node+*.patch), so this checks that the loaded-on-first-use
// path works in the bundle the runner runs.
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { resolve } from 'node:path'
import { writeFileSync } from 'node:fs'
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import { rollingUpdate } from '../../testcluster/stories/recorded.js'
import { NEW_DIGEST, REPO } from '../../testcluster/stories/images.js'
import { tempDir } from '../../testcluster/tmp.js'

const CLI = resolve('dist/cli/index.js')

/** An HTTP CONNECT proxy, as corporate networks put in front of an API server; it records each tunnel's target. */
async function connectProxy(): Promise<{ server: Server; url: string; tunnels: string[] }> {
  const tunnels: string[] = []
  const server = createServer((_, res) => res.writeHead(405).end())
  server.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '')
    const [host, port] = (req.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>(ok => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as { port: number }
  return { server, url: `http://127.0.0.1:${port}`, tunnels }
}

test("a kubeconfig's proxy-url: every request goes through the proxy and the verdict is the cluster's", async () => {
  const pb = await play(rollingUpdate(), { quiet: true })
  const proxy = await connectProxy()
  try {
    const kubeconfig = `${tempDir('kv-proxy-')}/config`
    const yaml = kubeconfigYaml(pb.server, { namespace: NS }).replace(
      /^( {4}server: .*)$/m,
      `$1\n    proxy-url: ${proxy.url}`
    )
    writeFileSync(kubeconfig, yaml, { mode: 0o600 })
    const r = await new Promise<{ code: number; out: string }>(done => {
      const p = spawn(
        process.execPath,
        [CLI, 'deployment/web', '--digest', `${REPO}@${NEW_DIGEST}`, '--timeout', '30s'],
        {
          env: { PATH: process.env.PATH ?? '', HOME: tempDir('kv-proxy-home-'), KUBECONFIG: kubeconfig },
          stdio: ['ignore', 'pipe', 'pipe']
        }
      )
      let out = ''
      p.stdout.on('data', (c: Buffer) => (out += c.toString()))
      p.stderr.on('data', (c: Buffer) => (out += c.toString()))
      p.on('close', code => done({ code: code ?? -1, out }))
    })
    expect(r.out).toMatch(/^success {2}deployment\/web -n shop/m)
    expect(r.code).toBe(0)
    const { host } = new URL(pb.server.url)
    expect(proxy.tunnels.length).toBeGreaterThan(0)
    expect(new Set(proxy.tunnels)).toEqual(new Set([host]))
  } finally {
    proxy.server.close()
    await pb.stop()
  }
})
