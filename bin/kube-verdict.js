#!/usr/bin/env node
// Launcher: checks the Node.js version before the bundle loads (its HTTP client throws on Node < 22 while
// loading, before any of our code could say why).
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(
    `kube-verdict needs Node.js 22 or newer; this is ${process.version}. (@kubernetes/client-node 2 does not run on older ones.)\n`
  )
  process.exit(4)
}
await import('../dist/cli/index.js')
