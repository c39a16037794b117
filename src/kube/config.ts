// Kubeconfig from the input (plain or base64), KUBECONFIG, ~/.kube/config or in-cluster; never the silent
// localhost:8080 that client-node falls back to. Every secret it holds is handed to `mask` first.
import { accessSync, constants, existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, isAbsolute, join } from 'node:path'
import { KubeConfig } from './client-node.js'
import { InputError } from '../errors.js'

/** Where the kubeconfig comes from: the `kubeconfig` input's text, a file, or the usual places. */
export type KubeconfigSource =
  { kind: 'inline'; content: string } | { kind: 'file'; path: string } | { kind: 'default' }

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

export interface LoadedConfig {
  kc: KubeConfig
  /** The context used: the one asked for, else the current one. */
  context: string
  /** The context's namespace, if it names one. */
  contextNamespace?: string
  server: string
  user: string
}

/** Inline kubeconfig text, decoded from base64 when that is what it is. */
function decodeInline(content: string): string {
  const t = content.trim()
  if (/^[A-Za-z0-9+/=\s]+$/.test(t) && !/\n\s*\w+:/.test(t)) {
    const decoded = Buffer.from(t.replace(/\s+/g, ''), 'base64').toString('utf8')
    if (/\b(apiVersion|clusters|contexts)\s*:/.test(decoded)) return decoded
    throw new InputError(
      'kubeconfig',
      'looks like base64 but does not decode to a kubeconfig',
      '${{ secrets.KUBECONFIG }} (YAML, or the same base64-encoded)'
    )
  }
  return content
}

function maskUser(kc: KubeConfig, mask: (s: string) => void): void {
  for (const u of kc.getUsers()) {
    const add = (v: unknown): void => {
      if (typeof v !== 'string' || v.length < 4) return
      mask(v)
      // A base64 key is masked decoded too, line by line (the runner masks single lines best).
      if (/^[A-Za-z0-9+/=]{16,}$/.test(v)) {
        const dec = Buffer.from(v, 'base64').toString('utf8')
        for (const line of dec.split('\n'))
          if (line.trim().length >= 8 && !/^-----/.test(line)) mask(line.trim())
      }
    }
    add(u.token)
    add(u.password)
    add(u.keyData)
    const ap = (u.authProvider as { config?: Record<string, unknown> } | undefined)?.config ?? {}
    for (const k of ['access-token', 'refresh-token', 'id-token', 'client-secret']) add(ap[k])
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  const candidates =
    isAbsolute(command) || command.includes('/')
      ? [command]
      : (env.PATH ?? '').split(delimiter).map(d => join(d, command))
  return candidates.some(p => {
    try {
      accessSync(p, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

const EXAMPLE = '${{ secrets.KUBECONFIG }}'

type User = ReturnType<KubeConfig['getCurrentUser']>
type Context = NonNullable<ReturnType<KubeConfig['getContextObject']>>

export function loadKubeconfig(
  source: KubeconfigSource,
  context: string | undefined,
  env: NodeJS.ProcessEnv,
  mask: (s: string) => void
): LoadedConfig {
  const kc = readKubeconfig(source, env, mask)
  useContext(kc, context)
  const ctx = kc.getContextObject(kc.currentContext)!
  const server = checkedServer(kc, ctx)
  const user = kc.getCurrentUser()
  checkUser(user, env)
  return {
    kc,
    context: ctx.name,
    ...(ctx.namespace ? { contextNamespace: ctx.namespace } : {}),
    server,
    user: user?.name ?? ''
  }
}

/** Every context of the kubeconfig, in its order (the `context` input's `*`). */
export function kubeconfigContexts(
  source: KubeconfigSource,
  env: NodeJS.ProcessEnv,
  mask: (s: string) => void
): string[] {
  return readKubeconfig(source, env, mask)
    .getContexts()
    .map(c => c.name)
}

/** The kubeconfig with its secrets masked, before a context is chosen. */
function readKubeconfig(
  source: KubeconfigSource,
  env: NodeJS.ProcessEnv,
  mask: (s: string) => void
): KubeConfig {
  const kc = new KubeConfig()
  if (source.kind === 'inline') loadInline(kc, source.content, mask)
  else if (source.kind === 'file') loadFile(kc, source.path)
  else loadDefault(kc, env)
  maskUser(kc, mask)
  if (kc.getContexts().length === 0 || kc.getClusters().length === 0) {
    throw new InputError(
      'kubeconfig',
      `${source.kind === 'file' ? `names ${JSON.stringify(source.path)}, which` : ''} has no contexts or no clusters`.trim(),
      EXAMPLE
    )
  }
  return kc
}

/** The `kubeconfig` input's text, plain or base64. */
function loadInline(kc: KubeConfig, content: string, mask: (s: string) => void): void {
  const text = decodeInline(content)
  // A base64 kubeconfig is one opaque line: mask it whole. Plain YAML is masked by its secrets later
  // (masking every line would hide harmless ones like `apiVersion: v1` everywhere in the log).
  if (text !== content) mask(content.trim())
  try {
    kc.loadFromString(text)
  } catch (e) {
    throw new InputError('kubeconfig', `is not a kubeconfig (${firstLine((e as Error).message)})`, EXAMPLE)
  }
}

/** A path named on purpose (the `kubeconfig` input, the CLI's --kubeconfig): its own words, not KUBECONFIG's. */
function loadFile(kc: KubeConfig, path: string): void {
  const shown = JSON.stringify(path)
  if (!existsSync(path)) throw new InputError('kubeconfig', `names ${shown}, which does not exist`, EXAMPLE)
  try {
    kc.loadFromFile(path)
  } catch (e) {
    throw new InputError(
      'kubeconfig',
      `names ${shown}, which is not a kubeconfig (${firstLine((e as Error).message)})`,
      EXAMPLE
    )
  }
}

/** No input: KUBECONFIG's files merged as kubectl merges them, else ~/.kube/config, else the in-cluster account. */
function loadDefault(kc: KubeConfig, env: NodeJS.ProcessEnv): void {
  const paths = (env.KUBECONFIG ?? '').split(delimiter).filter(p => p !== '')
  const home = join(env.HOME ?? homedir(), '.kube', 'config')
  const anyFile = paths.some(p => existsSync(p)) || (paths.length === 0 && existsSync(home))
  const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(join(SA_DIR, 'token'))
  if (paths.length > 0 && !paths.some(p => existsSync(p))) {
    throw new InputError(
      'kubeconfig',
      `is not set and KUBECONFIG names no file that exists (${paths.join(delimiter)})`,
      EXAMPLE
    )
  }
  if (!anyFile && !inCluster) {
    throw new InputError(
      'kubeconfig',
      'is not set, and there is no KUBECONFIG, ~/.kube/config or in-cluster service account',
      EXAMPLE
    )
  }
  if (!anyFile) return loadInCluster(kc)
  const files = paths.length > 0 ? paths.filter(p => existsSync(p)) : [home]
  for (const p of files) {
    const one = new KubeConfig()
    try {
      one.loadFromFile(p)
    } catch (e) {
      throw new InputError(
        'kubeconfig',
        `is not set, and ${JSON.stringify(p)} (${paths.length > 0 ? 'from KUBECONFIG' : '~/.kube/config'}) is not a kubeconfig (${firstLine((e as Error).message)})`,
        EXAMPLE
      )
    }
    kc.mergeConfig(one, Boolean(kc.currentContext))
  }
}

function loadInCluster(kc: KubeConfig): void {
  try {
    kc.loadFromCluster()
  } catch (e) {
    throw new InputError(
      'kubeconfig',
      `is not set, and the in-cluster service account cannot be read (${firstLine((e as Error).message)})`,
      EXAMPLE
    )
  }
}

/** The `context` input's context, else the current one; either must be in the kubeconfig. */
function useContext(kc: KubeConfig, context: string | undefined): void {
  const names = (): string =>
    kc
      .getContexts()
      .map(c => c.name)
      .join(', ')
  if (context) {
    if (!kc.getContextObject(context)) {
      throw new InputError(
        'context',
        `"${context}" is not in the kubeconfig; it has: ${names()}`,
        kc.getContexts()[0]!.name
      )
    }
    kc.setCurrentContext(context)
  } else if (!kc.currentContext || !kc.getContextObject(kc.currentContext)) {
    throw new InputError(
      'context',
      `is not set and the kubeconfig has no valid current-context; it has: ${names()}`,
      kc.getContexts()[0]!.name
    )
  }
}

/** The current cluster's server, which must be an http(s) URL. */
function checkedServer(kc: KubeConfig, ctx: Context): string {
  const cluster = kc.getCurrentCluster()
  if (!cluster || !cluster.server) {
    throw new InputError(
      'kubeconfig',
      `context "${ctx.name}" names cluster "${ctx.cluster}", which is not in the kubeconfig or has no server`,
      EXAMPLE
    )
  }
  if (!/^https?:\/\/[^\s/]+/.test(cluster.server)) {
    throw new InputError(
      'kubeconfig',
      `cluster "${cluster.name}" has server ${JSON.stringify(cluster.server)}, which is not an http(s) URL`,
      EXAMPLE
    )
  }
  return cluster.server
}

/** Credentials this runner cannot use fail now, as an input error, rather than as a 401 at every read. */
function checkUser(user: User, env: NodeJS.ProcessEnv): void {
  const exec = (user?.exec as { command?: string } | undefined)?.command
  if (exec && !onPath(exec, env)) {
    throw new InputError(
      'kubeconfig',
      `user "${user!.name}" authenticates with the exec plugin "${exec}", which is not installed on this runner (not on PATH)`,
      EXAMPLE
    )
  }
  const authProvider = (user?.authProvider as { name?: string } | undefined)?.name
  if (authProvider && !['oidc', 'azure'].includes(authProvider)) {
    throw new InputError(
      'kubeconfig',
      `user "${user!.name}" uses the removed auth-provider "${authProvider}"; use its exec plugin instead (gke-gcloud-auth-plugin, kubelogin)`,
      EXAMPLE
    )
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 160)
}
