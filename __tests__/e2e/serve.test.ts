// `npm run cluster`: every story the stand-in tells by name, at a speed factor, for a person to try the CLI on.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { catalog, cliCommand, findStory } from '../../testcluster/stories/find.js'
import { standInStories } from '../../testcluster/stories/index.js'
import { tempDir } from '../../testcluster/tmp.js'

/** tsx keeps a cache in the temp dir: give it one of ours, removed with the rest. */
const tsxEnv = (): NodeJS.ProcessEnv => ({ ...process.env, TMPDIR: tempDir('kv-tsx-') })

test('every case of the suite is served by its name; a verdict names its first case', () => {
  const names = catalog().map(e => e.name)
  expect(new Set(names).size).toBe(names.length)
  for (const c of standInStories())
    expect(findStory(catalog().find(e => e.title === c.name)!.name).title).toBe(c.name)
  for (const v of ['crash-loop', 'image-pull', 'scheduling', 'stale', 'not-found', 'config-error', 'network'])
    expect(findStory(v).expect).toBe(v)
  expect(findStory('seeds').name).toBe('seeds')
  expect(findStory('knative-service-serves').title).toMatch(/Knative Service serves/)
})

test('an unknown name lists the valid ones', () => {
  expect(() => findStory('nope')).toThrow(/unknown story "nope".*\n {2}seeds\n {2}rolling\n.*crash-loop-/s)
  expect(() => findStory('statefulset')).toThrow(/matches \d+; one of/)
  const r = spawnSync(resolve('node_modules/.bin/tsx'), ['testcluster/serve.ts', 'nope'], {
    encoding: 'utf8',
    env: tsxEnv()
  })
  expect(r.status).toBe(2)
  expect(r.stderr).toMatch(/unknown story "nope"/)
  expect(r.stderr).toContain(catalog()[5]!.name)
})

test('the command it suggests is the CLI with the case inputs as flags', () => {
  expect(cliCommand(findStory('crash-loop').inputs)).toMatch(
    /^npx kube-verdict deployment\/web -n shop --digest \S+@sha256:[0-9a-f]{64}/
  )
})

test('npm run cluster -- crash-loop 0.3 serves it; the CLI says crash-loop', async () => {
  const server = spawn(resolve('node_modules/.bin/tsx'), ['testcluster/serve.ts', 'crash-loop', '0.3'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: tsxEnv()
  })
  try {
    const kubeconfig = await new Promise<string>((res, rej) => {
      let out = ''
      server.stdout.on('data', (c: Buffer) => {
        out += c.toString()
        const m = /^KUBECONFIG=(\S+)$/m.exec(out)
        if (m && out.includes('serving')) res(m[1]!)
      })
      server.on('close', code => rej(new Error(`serve exited ${code}: ${out}`)))
    })
    const args = cliCommand(findStory('crash-loop').inputs).split(' ').slice(2)
    const cli = spawnSync(process.execPath, [resolve('dist/cli/index.js'), ...args, '--timeout', '30s'], {
      env: { PATH: process.env.PATH ?? '', KUBECONFIG: kubeconfig, HOME: '/nonexistent' },
      encoding: 'utf8'
    })
    expect(cli.stdout).toMatch(/^crash-loop {2}deployment\/web -n shop/m)
    expect(cli.status).toBe(1)
    server.kill('SIGINT')
    await new Promise(r => server.on('close', r))
    expect(existsSync(kubeconfig)).toBe(false)
  } finally {
    server.kill('SIGKILL')
  }
}, 60_000)
