#!/usr/bin/env node
// Launcher: checks the Node.js version before the bundle loads. The bundle's HTTP client (undici 8, under
// @kubernetes/client-node 2) needs Node.js 22.19 or newer and throws while loading on older ones, before any
// of our code could say why. The floor is package.json's `engines.node`, read here so the two cannot disagree.
import { readFileSync } from 'node:fs'

const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node
const need = /(\d+)\.(\d+)\.(\d+)/.exec(engines).slice(1).map(Number)
const have = process.versions.node.split('.').map(Number)
const first = need.findIndex((n, i) => have[i] !== n)
if (first >= 0 && have[first] < need[first]) {
  process.stderr.write(
    `kube-verdict: needs Node.js ${need.join('.')} or newer (package.json engines: ${engines}); this is ${process.version}. ` +
      'Install a newer Node.js, or from a checkout run `npm ci` and then `npx kube-verdict …`, which uses the Node 24 that npm ci installs.\n'
  )
  process.exit(4)
}
await import('../dist/cli/index.js')
