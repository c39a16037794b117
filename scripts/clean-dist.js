// ncc leaves a package.json and a source map beside the bundle; only index.js (and licenses) are committed.
import { rmSync, readdirSync } from 'node:fs'

for (const f of readdirSync('dist')) {
  if (f.endsWith('.map') || f === 'sourcemap-register.cjs') rmSync(`dist/${f}`)
}
