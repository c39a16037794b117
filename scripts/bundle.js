// `npm run bundle`: the action and the CLI, built side by side (two cores), then source maps removed.
import { spawn } from 'node:child_process'
import { rmSync, readdirSync } from 'node:fs'

const build = args =>
  new Promise((resolve, reject) => {
    const p = spawn('ncc', ['build', ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
    p.on('close', code =>
      code === 0 ? resolve() : reject(new Error(`ncc ${args.join(' ')} exited ${code}`))
    )
  })

await Promise.all([
  build(['src/index.ts', '-o', 'dist', '--minify', '--license', 'licenses.txt']),
  build(['src/cli.ts', '-o', 'dist/cli', '--minify'])
])
// ncc's package.json ({"type":"module"}) stays beside each bundle: it makes them load as ESM. Maps go.
for (const dir of ['dist', 'dist/cli']) {
  for (const f of readdirSync(dir))
    if (f.endsWith('.map') || f === 'sourcemap-register.cjs') rmSync(`${dir}/${f}`)
}
