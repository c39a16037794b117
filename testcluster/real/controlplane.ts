// A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler, one process each (the components register process-global flags and metrics), built from the
// official Go modules. HTTPS with a throwaway CA, RBAC on, an admin token for the test world and real
// ServiceAccount tokens (TokenRequest) for the action.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { ensureBinaries, type Binaries, type Component } from './build.js'
import { Client, type Obj } from './client.js'
import { makePki, type Pki } from '../shared/tls.js'

export interface ControlPlaneOptions {
  /** Progress lines (the build, each component coming up). */
  log?: (line: string) => void
  /** Keep the data directory on stop (for debugging). */
  keep?: boolean
  /**
   * The apiserver's watch cache (default on). Off, every watch and list goes to etcd, so a watch resumed from a
   * revision older than an etcd compaction gets etcd's own 410 Gone (the cache would serve it from memory).
   */
  watchCache?: boolean
}

async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolvePort(port))
    })
  })
}

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

/** GETs an https URL without verifying the peer (for the components' own /healthz). */
async function probe(url: string, token?: string): Promise<{ code: number; text: string }> {
  return await new Promise(res => {
    const req = request(
      url,
      {
        rejectUnauthorized: false,
        timeout: 2000,
        headers: token ? { authorization: `Bearer ${token}` } : {}
      },
      r => {
        let text = ''
        r.on('data', (c: Buffer) => (text += c.toString()))
        r.on('end', () => res({ code: r.statusCode ?? 0, text }))
      }
    )
    req.on('error', e => res({ code: 0, text: e.message }))
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.end()
  })
}

export function kubeconfigFor(server: string, caPem: string, token: string, user = 'ci'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kube-verdict-real',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: kube-verdict-real',
    '  context:',
    '    cluster: kube-verdict-real',
    `    user: ${user}`,
    'current-context: kube-verdict-real',
    ''
  ].join('\n')
}

/** One kubeconfig with a context per cluster (as a fleet's CI secret holds them): each its server, CA and token. */
export function kubeconfigForClusters(
  clusters: { context: string; server: string; caPem: string; token: string }[]
): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:']
  for (const c of clusters)
    lines.push(
      `- name: ${c.context}`,
      '  cluster:',
      `    server: ${c.server}`,
      `    certificate-authority-data: ${Buffer.from(c.caPem).toString('base64')}`
    )
  lines.push('users:')
  for (const c of clusters) lines.push(`- name: ${c.context}-deployer`, '  user:', `    token: ${c.token}`)
  lines.push('contexts:')
  for (const c of clusters)
    lines.push(
      `- name: ${c.context}`,
      '  context:',
      `    cluster: ${c.context}`,
      `    user: ${c.context}-deployer`
    )
  lines.push(`current-context: ${clusters[0]!.context}`, '')
  return lines.join('\n')
}

export class ControlPlane {
  readonly adminToken = 'kv-admin-' + randomBytes(16).toString('hex')
  readonly dir: string
  readonly pki: Pki
  readonly caPem: string
  admin!: Client
  url = ''
  etcdUrl = ''
  binaries!: Binaries
  private procs = new Map<Component, ChildProcess>()

  /** Resident memory of its processes now (VmRSS from /proc, kB): what a control plane costs this machine. */
  rssKb(): number {
    let kb = 0
    for (const p of this.procs.values()) {
      if (p.pid === undefined || p.exitCode !== null) continue
      try {
        kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))?.[1] ?? 0)
      } catch {
        // exited between the check and the read
      }
    }
    return kb
  }
  private onExit = (): void => this.killAll()
  private stopping = false

  constructor(private opts: ControlPlaneOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'kv-controlplane-'))
    this.pki = makePki(this.dir)
    this.caPem = readFileSync(this.pki.caCrt, 'utf8')
  }

  private log(line: string): void {
    this.opts.log?.(line)
  }

  /** Where a component's output goes (read it when something fails). */
  logFile(c: Component): string {
    return join(this.dir, `${c}.log`)
  }

  private start(c: Component, args: string[]): void {
    const out = openSync(this.logFile(c), 'a')
    const child = spawn(this.binaries[c], args, { stdio: ['ignore', out, out] })
    child.on('exit', (code, signal) => {
      if (!this.stopping) this.log(`${c} exited (${code ?? signal}); see ${this.logFile(c)}`)
    })
    this.procs.set(c, child)
  }

  private async waitFor(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
    const until = Date.now() + ms
    while (Date.now() < until) {
      for (const [c, p] of this.procs)
        if (p.exitCode !== null) throw new Error(`${c} exited while waiting for ${what}:\n${this.tail(c)}`)
      if (await ok()) return
      await sleep(100)
    }
    throw new Error(`the control plane did not get ${what} within ${ms / 1000} s`)
  }

  tail(c: Component, lines = 30): string {
    try {
      return readFileSync(this.logFile(c), 'utf8').split('\n').slice(-lines).join('\n')
    } catch {
      return ''
    }
  }

  private componentKubeconfig(name: string, user: string): string {
    const token = `kv-${name}-` + randomBytes(16).toString('hex')
    const path = join(this.dir, `${name}.kubeconfig`)
    writeFileSync(path, kubeconfigFor(this.url, this.caPem, token, user), { mode: 0o600 })
    this.tokens.push(`${token},${user},${user}`)
    return path
  }

  private tokens: string[] = []

  async up(): Promise<this> {
    const t0 = Date.now()
    this.binaries = await ensureBinaries(l => this.log(l))
    process.once('exit', this.onExit)
    const [etcdClient, etcdPeer, apiPort, cmPort, schedPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort()
    ])
    this.etcdUrl = `http://127.0.0.1:${etcdClient}`
    this.url = `https://127.0.0.1:${apiPort}`

    this.start('etcd', [
      `--data-dir=${join(this.dir, 'etcd')}`,
      `--listen-client-url=${this.etcdUrl}`,
      `--listen-peer-url=http://127.0.0.1:${etcdPeer}`
    ])

    // Static tokens: the admin (system:masters) and the two components under their real user names, which
    // the apiserver's bootstrap RBAC policy binds (system:kube-controller-manager, system:kube-scheduler).
    this.tokens.push(`${this.adminToken},kubernetes-admin,kubernetes-admin,"system:masters"`)
    const cmKubeconfig = this.componentKubeconfig('controller-manager', 'system:kube-controller-manager')
    const schedKubeconfig = this.componentKubeconfig('scheduler', 'system:kube-scheduler')
    const tokenFile = join(this.dir, 'tokens.csv')
    writeFileSync(tokenFile, this.tokens.join('\n') + '\n', { mode: 0o600 })

    await this.waitFor('etcd', async () => (await fetchOk(`${this.etcdUrl}/health`)) === 200)
    this.start('kube-apiserver', [
      `--etcd-servers=${this.etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(this.dir, 'apiserver-certs')}`,
      `--tls-cert-file=${this.pki.apiserverCrt}`,
      `--tls-private-key-file=${this.pki.apiserverKey}`,
      `--client-ca-file=${this.pki.caCrt}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${this.pki.saPub}`,
      `--service-account-signing-key-file=${this.pki.saKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      // The simulated kubelets listen on 127.0.0.1; pods/log goes there by the node's InternalIP.
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false',
      ...(this.opts.watchCache === false ? ['--watch-cache=false'] : []),
      '--v=1'
    ])
    this.admin = new Client(this.url, this.caPem, this.adminToken)
    await this.waitFor(
      'kube-apiserver /readyz',
      async () => (await probe(`${this.url}/readyz`, this.adminToken)).text === 'ok'
    )
    this.log(`kube-apiserver ready at ${this.url} after ${((Date.now() - t0) / 1000).toFixed(1)} s`)

    this.start('kube-controller-manager', [
      `--kubeconfig=${cmKubeconfig}`,
      `--authentication-kubeconfig=${cmKubeconfig}`,
      `--authorization-kubeconfig=${cmKubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${cmPort}`,
      `--cert-dir=${join(this.dir, 'cm-certs')}`,
      '--leader-elect=false',
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${this.pki.saKey}`,
      `--root-ca-file=${this.pki.caCrt}`,
      `--cluster-signing-cert-file=${this.pki.caCrt}`,
      `--cluster-signing-key-file=${this.pki.caKey}`,
      '--controllers=*',
      '--profiling=false',
      '--v=1'
    ])
    this.start('kube-scheduler', [
      `--kubeconfig=${schedKubeconfig}`,
      `--authentication-kubeconfig=${schedKubeconfig}`,
      `--authorization-kubeconfig=${schedKubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedPort}`,
      `--cert-dir=${join(this.dir, 'scheduler-certs')}`,
      '--leader-elect=false',
      '--profiling=false',
      '--v=1'
    ])
    await this.waitFor(
      'kube-controller-manager and kube-scheduler /healthz',
      async () =>
        (await probe(`https://127.0.0.1:${cmPort}/healthz`)).text === 'ok' &&
        (await probe(`https://127.0.0.1:${schedPort}/healthz`)).text === 'ok'
    )
    // The controllers are running once the ServiceAccount controller has made `default` in `default`.
    await this.waitFor(
      'the default ServiceAccount',
      async () =>
        (await this.admin.getOrUndefined('/api/v1/namespaces/default/serviceaccounts/default')) !== undefined
    )
    this.log(`control plane ${this.binaries.version} ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    return this
  }

  /** The admin kubeconfig (system:masters), as `kubectl config view --raw` would write it. */
  adminKubeconfig(): string {
    return kubeconfigFor(this.url, this.caPem, this.adminToken, 'kubernetes-admin')
  }

  /** Creates a namespace and waits for its `default` ServiceAccount (pods need it to be admitted). */
  async namespace(name: string): Promise<void> {
    const r = await this.admin.raw('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name }
    })
    if (r.code >= 300 && r.code !== 409) throw new Error(`namespace ${name}: ${r.text}`)
    await this.waitFor(
      `the default ServiceAccount in ${name}`,
      async () =>
        (await this.admin.getOrUndefined(`/api/v1/namespaces/${name}/serviceaccounts/default`)) !== undefined
    )
  }

  /**
   * A real ServiceAccount token (TokenRequest) bound by deploy/rbac.yaml's Roles, applied to `namespaces`
   * (the file's `shop` and `ci` are renamed to each story's own namespaces).
   */
  async deployerToken(opts: { namespace: string; buildNamespace?: string; sa?: string }): Promise<string> {
    const sa = opts.sa ?? 'deployer'
    const saNs = opts.buildNamespace ?? opts.namespace
    await this.namespace(saNs)
    await this.namespace(opts.namespace)
    await this.admin
      .create(`/api/v1/namespaces/${saNs}/serviceaccounts`, { metadata: { name: sa } })
      .catch(e => ((e as { code?: number }).code === 409 ? undefined : Promise.reject(e)))
    const docs = parseAllDocuments(readFileSync(resolve('deploy/rbac.yaml'), 'utf8')).map(
      d => d.toJS() as Obj
    )
    for (const doc of docs) {
      const ns = doc.metadata.namespace === 'ci' ? saNs : opts.namespace
      if (doc.metadata.namespace === 'ci' && !opts.buildNamespace) continue
      const obj = structuredClone(doc)
      obj.metadata.namespace = ns
      for (const s of (obj.subjects as { namespace?: string; name: string }[] | undefined) ?? []) {
        s.namespace = saNs
        s.name = sa
      }
      const plural = obj.kind === 'Role' ? 'roles' : 'rolebindings'
      await this.admin.apply(
        `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/${plural}/${obj.metadata.name}`,
        obj
      )
    }
    // The apiserver authorizes from its informers' view of RBAC, which lags the write (more so on a busy machine,
    // or when a compaction makes it relist): the story starts once the grant is in force, as a pipeline's would be.
    await this.untilAllowed(`system:serviceaccount:${saNs}:${sa}`, opts.namespace, 'apps', 'deployments')
    if (opts.buildNamespace) await this.untilAllowed(`system:serviceaccount:${saNs}:${sa}`, saNs, '', 'pods')
    const tr = await this.admin.create(`/api/v1/namespaces/${saNs}/serviceaccounts/${sa}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 }
    })
    return tr.status.token as string
  }

  /** Asks the apiserver's authorizer (SubjectAccessReview) until `user` may `verb` `resource` in `namespace`. */
  async untilAllowed(
    user: string,
    namespace: string,
    group: string,
    resource: string,
    verb = 'list'
  ): Promise<void> {
    const until = Date.now() + 60_000
    for (;;) {
      const review = await this.admin.create('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user, resourceAttributes: { namespace, verb, group, resource } }
      })
      if ((review.status as { allowed?: boolean } | undefined)?.allowed) return
      if (Date.now() > until)
        throw new Error(`RBAC: ${user} still may not ${verb} ${resource} in ${namespace} after 60 s`)
      await new Promise(r => setTimeout(r, 50))
    }
  }

  /** etcd's current revision, and a compaction up to it: watches older than that get 410 Gone. */
  async compact(): Promise<number> {
    const range = await fetchJson(`${this.etcdUrl}/v3/kv/range`, { key: Buffer.from('/').toString('base64') })
    const rev = Number((range as { header: { revision: string } }).header.revision)
    try {
      await fetchJson(`${this.etcdUrl}/v3/kv/compaction`, { revision: String(rev), physical: true })
    } catch (e) {
      // Another compaction (a concurrent story's, or the apiserver's own every 5 minutes) got there first.
      if (!/required revision has been compacted/.test((e as Error).message)) throw e
    }
    return rev
  }

  private killAll(): void {
    for (const p of this.procs.values()) if (p.exitCode === null) p.kill('SIGKILL')
  }

  async stop(): Promise<void> {
    this.stopping = true
    process.removeListener('exit', this.onExit)
    this.admin?.close()
    const exits = [...this.procs.values()]
      .filter(p => p.exitCode === null)
      .map(p => new Promise<void>(r => p.once('exit', () => r())))
    for (const p of this.procs.values()) if (p.exitCode === null) p.kill('SIGTERM')
    const timer = setTimeout(() => this.killAll(), 3000)
    await Promise.all(exits)
    clearTimeout(timer)
    if (!this.opts.keep) rmSync(this.dir, { recursive: true, force: true })
  }
}

async function fetchOk(url: string): Promise<number> {
  try {
    return (await fetch(url)).status
  } catch {
    return 0
  }
}

async function fetchJson(url: string, body: unknown): Promise<unknown> {
  const r = await fetch(url, { method: 'POST', body: JSON.stringify(body) })
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`)
  return await r.json()
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const cp = new ControlPlane(opts)
  try {
    return await cp.up()
  } catch (e) {
    await cp.stop().catch(() => undefined)
    throw e
  }
}
