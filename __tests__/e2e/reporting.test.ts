// Reports end to end: deployment status through a stand-in GitHub API, hostile cluster text, secrets.
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../../testcluster/tmp.js'
import { TestGitHubApi } from '../../testcluster/github.js'
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import { NEW_DIGEST, REPO, V2 } from '../../testcluster/stories/images.js'
import { firstPod, recorded, withLog, withWaiting } from '../../testcluster/timeline/edit.js'
import { replay } from '../../testcluster/timeline/replay.js'
import { testTls } from '../../testcluster/shared/tls.js'
import { runAction, type ActionRun } from '../../testcluster/run-action.js'

/** Recorded on the real control plane: web rolls out 1.4.2 (3 replicas). */
const ROLLS_OUT = recorded('success-rolling-update-of-3-replicas-to-the-built-digest')
/** Recorded: web's pods still run 1.4.1's digest after the deploy. */
const STALE = recorded('stale-the-pods-run-another-digest-than-was-built')
const digestInputs = { workload: 'deployment/web', namespace: NS, 'expected-digest': `${REPO}@${NEW_DIGEST}` }
/** The workflow commands this action may write; anything else starting with :: came from somewhere else. */
const OWN_COMMANDS = /^::(add-mask|group|endgroup|error|warning|notice)( [^:]*)?::/

function workflowCommands(run: ActionRun): string[] {
  return run.stdout.split('\n').filter(l => /^\s*::/.test(l) || l.includes('##['))
}

describe('GitHub Deployment status', () => {
  test('in_progress when waiting starts, then success with the reason and the run as log_url', async () => {
    const gh = await new TestGitHubApi().start()
    const pb = await play(replay(ROLLS_OUT), { quiet: true })
    try {
      const run = await runAction(
        {
          ...digestInputs,
          timeout: '30s',
          kubeconfig: kubeconfigYaml(pb.server),
          'github-token': 'ghs_testtoken123456',
          environment: 'production'
        },
        {
          env: {
            GITHUB_API_URL: gh.url,
            GITHUB_REPOSITORY: 'acme/shop',
            GITHUB_SERVER_URL: 'https://github.com',
            GITHUB_RUN_ID: '777'
          }
        }
      )
      expect(run.outputs.verdict).toBe('success')
      const posts = gh.requests.filter(r => r.method === 'POST')
      expect(posts.map(p => [p.path, p.body?.state])).toEqual([
        ['/repos/acme/shop/deployments/4242/statuses', 'in_progress'],
        ['/repos/acme/shop/deployments/4242/statuses', 'success']
      ])
      expect(posts[1]!.body).toMatchObject({
        log_url: 'https://github.com/acme/shop/actions/runs/777',
        environment: 'production'
      })
      expect(String(posts[1]!.body!.description).length).toBeLessThanOrEqual(140)
      expect(gh.requests[0]).toMatchObject({
        method: 'GET',
        path: '/repos/acme/shop/deployments?environment=production&per_page=1',
        auth: 'token ghs_testtoken123456'
      })
      expect(run.stdout).toContain('::add-mask::ghs_testtoken123456')
    } finally {
      await pb.stop()
      await gh.stop()
    }
  })

  test('a failure verdict posts failure; an unknown deployment is a warning, not a different verdict', async () => {
    const gh = await new TestGitHubApi().start()
    const pb = await play(replay(STALE), { quiet: true })
    try {
      const env = { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'acme/shop' }
      const run = await runAction(
        {
          ...digestInputs,
          grace: '1s',
          timeout: '20s',
          kubeconfig: kubeconfigYaml(pb.server),
          'github-token': 't0ken-abc',
          'deployment-id': '4242'
        },
        { env }
      )
      expect(gh.requests.filter(r => r.method === 'POST').map(p => p.body?.state)).toEqual([
        'in_progress',
        'failure'
      ])
      expect(run.outputs.verdict).toBe('stale')
      const missing = await runAction(
        {
          ...digestInputs,
          grace: '1s',
          timeout: '20s',
          kubeconfig: kubeconfigYaml(pb.server),
          'github-token': 't0ken-abc',
          'deployment-id': '99'
        },
        { env }
      )
      expect(missing.outputs.verdict).toBe('stale')
      expect(missing.stdout).toMatch(/::warning::deployment status not posted/)
    } finally {
      await pb.stop()
      await gh.stop()
    }
  })
})

describe('hostile cluster text', () => {
  const payloads = [
    '::error file=.github/workflows/ci.yml,line=1::pwned',
    '::set-output name=verdict::success',
    '::stop-commands::ffff',
    '##[error]legacy',
    '<script>alert(1)</script></details></pre>',
    '| a | b |\n|---|---|',
    '```\n# heading\n```',
    '\u001b[2J\u001b]0;title\u0007\u001b[31mred',
    '::add-mask::x\r\n::warning::after CRLF'
  ]
  const hostile = payloads.join('\n')
  test('nothing from the cluster becomes a workflow command, an output or markup', async () => {
    // The real crash loop, recorded; on top, what a hostile container prints and the kubelet passes on: its log
    // lines, its CrashLoopBackOff message and probe events.
    const t = recorded('crash-loop-the-container-exits-three-times-ends-early-with-t')
    const pod = firstPod(t, V2)
    const edited = withWaiting(
      withLog(t, pod.name, () => [...payloads, 'x'.repeat(1_000_000)]),
      pod.name,
      'CrashLoopBackOff',
      hostile
    )
    const s = replay(edited).at(pod.at, 'the kubelet passes on hostile probe output', w => {
      for (const p of payloads)
        w.kubeletEvent(pod.name, NS, {
          type: 'Warning',
          reason: 'Unhealthy',
          message: `Readiness probe failed: ${p}`
        })
    })
    const pb = await play(s, { quiet: true })
    try {
      const run = await runAction({ ...digestInputs, timeout: '20s', kubeconfig: kubeconfigYaml(pb.server) })
      expect(run.outputs.verdict).toBe('crash-loop')
      for (const line of workflowCommands(run)) expect(line).toMatch(OWN_COMMANDS)
      // Our own annotations carry cluster text only escaped inside their message.
      for (const line of run.stdout.split('\n').filter(l => /^::(error|warning|notice)/.test(l)))
        expect(line).not.toMatch(/\r/)
      expect(Object.keys(run.outputs).sort()).toEqual([
        'applied-revision',
        'built-digest',
        'cluster-verdicts',
        'desired-replicas',
        'elapsed-seconds',
        'ready-replicas',
        'reason',
        'report',
        'running-digests',
        'verdict',
        'verdicts'
      ])
      expect(run.summary).not.toMatch(/<script>|\u001b/)
      // Outside <pre> blocks (raw HTML to the end tag), no code fence may open.
      expect(run.summary.replace(/<pre>[\s\S]*?<\/pre>/g, '')).not.toMatch(/```/)
      expect((run.summary.match(/<details>/g) ?? []).length).toBe(
        (run.summary.match(/<\/details>/g) ?? []).length
      )
      expect((run.summary.match(/<pre>/g) ?? []).length).toBe((run.summary.match(/<\/pre>/g) ?? []).length)
      expect(run.stdout.length).toBeLessThan(200_000)
      expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
    } finally {
      await pb.stop()
    }
  })
})

describe('secrets', () => {
  test('no byte the action writes holds a token, a client key or an exec-plugin token, but to mask it', async () => {
    const pb = await play(replay(ROLLS_OUT), { quiet: true })
    try {
      const execToken = 'exec-minted-' + 'f'.repeat(24)
      pb.server.tokens.set(execToken, { user: 'exec-user' })
      const dir = tempDir('kv-exec-')
      const plugin = join(dir, 'kv-auth-plugin')
      writeFileSync(
        plugin,
        `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${execToken}"}}'\n`
      )
      chmodSync(plugin, 0o755)
      const tls = testTls()
      const keyB64 = Buffer.from(tls.keyPem).toString('base64')
      const base = kubeconfigYaml(pb.server)
      const kubeconfig = base.replace(
        / {4}token: .*\n/,
        [
          `    client-certificate-data: ${Buffer.from(tls.certPem).toString('base64')}`,
          `    client-key-data: ${keyB64}`,
          '    exec:',
          '      apiVersion: client.authentication.k8s.io/v1',
          `      command: ${plugin}`,
          '      interactiveMode: Never',
          ''
        ].join('\n')
      )
      const run = await runAction({
        ...digestInputs,
        timeout: '30s',
        kubeconfig: Buffer.from(kubeconfig).toString('base64')
      })
      expect(run.outputs.verdict).toBe('success')
      const keyLines = tls.keyPem.split('\n').filter(l => l.length > 20 && !l.startsWith('-----'))
      const secrets = [execToken, keyB64, ...keyLines, pb.server.adminToken]
      const written = [
        run.stdout
          .split('\n')
          .filter(l => !l.startsWith('::add-mask::'))
          .join('\n'),
        run.stderr,
        run.summary,
        JSON.stringify(run.outputs)
      ].join('\n')
      for (const s of secrets) expect(written.includes(s)).toBe(false)
      for (const s of [execToken, keyB64, ...keyLines]) expect(run.stdout).toContain(`::add-mask::${s}`)
      // Masked before anything else is printed.
      const firstInfo = run.stdout.split('\n').findIndex(l => !l.startsWith('::add-mask::'))
      expect(run.stdout.split('\n').findIndex(l => l === `::add-mask::${keyB64}`)).toBeLessThan(firstInfo)
    } finally {
      await pb.stop()
    }
  })
})

describe('the log while waiting', () => {
  test('a stale reading within grace is marked provisional in the action log, then stands', async () => {
    const pb = await play(replay(STALE), { quiet: true })
    try {
      const run = await runAction({
        ...digestInputs,
        timeout: '30s',
        grace: '2s',
        kubeconfig: kubeconfigYaml(pb.server)
      })
      expect(run.outputs.verdict).toBe('stale')
      const progress = run.stdout.split('\n').filter(l => /^\[\d+\.\ds\] stale:/.test(l))
      expect(progress[0]).toMatch(/\(provisional: it ends the wait only if it still holds after grace\)$/)
    } finally {
      await pb.stop()
    }
  })
})
