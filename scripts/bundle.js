// `npm run bundle`: the action and the CLI, built side by side (two processes, two cores) with ncc's API, so that
// the modules our dependencies import but kube-verdict never runs can be left out (STUBS).
import ncc from '@vercel/ncc'
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const BUILDS = [
  { entry: 'src/index.ts', out: 'dist', license: 'licenses.txt' },
  { entry: 'src/cli.ts', out: 'dist/cli' }
]

/**
 * Imports that packages make at load time for features kube-verdict never calls, each replaced by a stub module (a
 * data: URL the bundle imports): they were most of the cold start and of the memory before the first request.
 * Keyed by the import as written; `from` is the only module allowed to make it (the build fails otherwise, so a
 * stub never replaces another package's module of the same name).
 */
const STUBS = {
  // KubeConfig (config.js) imports the generated API clients and models (17 MB of source, 3.5 MB minified) for
  // makeApiClient alone; kube-verdict sends its own requests (src/kube/api.ts) through KubeConfig and Watch.
  './gen/index.js': {
    from: '@kubernetes/client-node/dist/config.js',
    code: `const no = () => { throw new Error("kube-verdict's bundle leaves out client-node's generated API clients") }
export function createConfiguration() { no() }
export class ServerConfiguration { constructor() { no() } }`
  },
  // @actions/core's getIDToken (OIDC tokens) loads @actions/http-client and a second undici (6).
  './oidc-utils.js': {
    from: '@actions/core/lib/core.js',
    code: `export class OidcClient { static getIDToken() { throw new Error("kube-verdict's bundle leaves out @actions/core's OIDC client") } }`
  },
  // core.platform (OS details through @actions/exec and @actions/io).
  './platform.js': { from: '@actions/core/lib/core.js', code: 'export {}' }
}

/** Loaded only when their inputs ask for them: never in what the entry chunk loads at start. */
const LAZY = [
  'node_modules/@actions/github/', // deployment-status
  'node_modules/yaml/', // manifests, Helm releases
  'src/gitops/run.ts', // the deploy-tool stage
  'src/report/manifests.ts',
  // client-node's transports and auth providers, imported on first use by the local patch under patches/
  // (undici for its generated clients, proxy agents, OIDC, the gcp/azure providers' JSONPath).
  'node_modules/@kubernetes/client-node/node_modules/undici/',
  'node_modules/socks',
  'node_modules/hpagent/',
  'node_modules/openid-client/',
  'node_modules/jsonpath-plus/'
]

async function build({ entry, out, license }) {
  const externals = Object.fromEntries(
    Object.entries(STUBS).map(([request, s]) => [
      request,
      `data:text/javascript,${encodeURIComponent(s.code)}`
    ])
  )
  const { code, assets, stats } = await ncc(resolve(entry), {
    minify: true,
    quiet: true,
    externals,
    ...(license ? { license } : {})
  })
  // A stub stands in only where it was meant to.
  const { compilation } = stats
  const wrong = new Set()
  for (const m of compilation.modules) {
    const stub = m.constructor.name === 'ExternalModule' ? STUBS[m.userRequest] : undefined
    if (!stub) continue
    for (const c of compilation.moduleGraph.getIncomingConnections(m)) {
      const by = c.originModule?.resource ?? '?'
      if (!by.endsWith(`node_modules/${stub.from}`))
        wrong.add(`${by} imports ${m.userRequest}, which the bundle stubs for ${stub.from} only`)
    }
  }
  // What loads at start stays small.
  for (const chunk of compilation.chunks) {
    if (!chunk.canBeInitial()) continue
    for (const m of compilation.chunkGraph.getChunkModulesIterable(chunk))
      for (const inner of m.modules ?? [m]) {
        const lazy = LAZY.find(l => inner.resource?.includes(l))
        if (lazy) wrong.add(`${lazy} is in what ${entry} loads at start; import it where it is used`)
      }
  }
  if (wrong.size > 0) throw new Error([...wrong].join('\n'))
  // Chunks of an earlier build (their names are content hashes) go; the CLI's folder is its own build's.
  mkdirSync(out, { recursive: true })
  for (const f of readdirSync(out)) if (/\.(js|map|cjs)$/.test(f)) rmSync(`${out}/${f}`)
  writeFileSync(`${out}/index.js`, code, { mode: code.startsWith('#!') ? 0o755 : 0o644 })
  for (const [name, a] of Object.entries(assets)) {
    mkdirSync(dirname(`${out}/${name}`), { recursive: true })
    writeFileSync(`${out}/${name}`, a.source, { mode: a.permissions })
  }
}

const one = process.argv.indexOf('--one')
if (one >= 0) {
  await build(BUILDS[Number(process.argv[one + 1])])
} else {
  const self = fileURLToPath(import.meta.url)
  await Promise.all(
    BUILDS.map(
      (_, i) =>
        new Promise((ok, fail) =>
          spawn(process.execPath, [self, '--one', String(i)], { stdio: 'inherit' }).on('close', c =>
            c === 0 ? ok() : fail(new Error(`bundling ${BUILDS[i].entry} failed (exit ${c})`))
          )
        )
    )
  )
}
