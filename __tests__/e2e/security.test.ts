// Bad input through the bundle, least privilege against an RBAC-enforcing cluster, and a hostile cluster.
import { readFileSync } from 'node:fs'
import { standInStories } from '../../testcluster/stories/index.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import { firstPod, recorded, withLog } from '../../testcluster/timeline/edit.js'
import { replay } from '../../testcluster/timeline/replay.js'
import { NEW_DIGEST, REPO, V2 } from '../../testcluster/stories/images.js'
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { rulesFor } from '../../testcluster/rbac.js'
import { runAction } from '../../testcluster/run-action.js'
import { SECRET_TOKEN, badInputs } from '../helpers/bad-inputs.js'

describe('the bad-input catalog, end to end', () => {
  const cases = badInputs()
  test(`${cases.length} cases: exit 1, invalid-input, one line naming the input with an example, nothing secret`, async () => {
    const failures: string[] = []
    for (let i = 0; i < cases.length; i += 6) {
      const batch = cases.slice(i, i + 6)
      const runs = await Promise.all(batch.map(([, inputs]) => runAction({ timeout: '10s', ...inputs })))
      runs.forEach((run, j) => {
        const [name, , input] = batch[j]!
        const problems = [
          run.exitCode !== 1 && `exit ${run.exitCode}`,
          run.outputs.verdict !== 'invalid-input' && `verdict ${run.outputs.verdict}`,
          !new RegExp(`^Input '${input}' .*Example: ${input}: \\S`).test(run.outputs.reason ?? '') &&
            `reason ${run.outputs.reason}`,
          /\n/.test(run.outputs.reason ?? '') && 'multi-line reason',
          /node:internal|dist\/index\.js:\d+|\n\s+at /.test(run.stdout + run.stderr) && 'stack trace',
          run.stdout.split('\n').some(l => l.includes(SECRET_TOKEN) && !l.startsWith('::add-mask::')) &&
            'secret printed'
        ].filter(Boolean)
        if (problems.length) failures.push(`${name}: ${problems.join('; ')}`)
      })
    }
    expect(failures).toEqual([])
  }, 120_000)
})

describe('least privilege: deploy/rbac.yaml, enforced per token', () => {
  const rbac = readFileSync('deploy/rbac.yaml', 'utf8')
  const user = 'system:serviceaccount:ci:deployer'
  const run = async (caseName: string, drop?: string) => {
    const c = standInStories().find(x => x.name.startsWith(caseName))!
    const pb = await play(c.scenario(), { scale: caseName.includes('seeds') ? 0.03 : 1, quiet: true })
    try {
      const rules = rulesFor(rbac, user).filter(r => !drop || !r.resources.includes(drop))
      const token = pb.server.addToken({ user, rules })
      const r = await runAction({ ...c.inputs, kubeconfig: kubeconfigYaml(pb.server, { token }) })
      return { run: r, report: JSON.parse(r.outputs.report!) as { unreadable: string[] }, expect: c.expect }
    } finally {
      await pb.stop()
    }
  }
  test('the Role holds exactly get/list/watch on what it reads, and get on pods/log', () => {
    const rules = rulesFor(rbac, user)
    expect(rules.flatMap(r => r.verbs).every(v => ['get', 'list', 'watch'].includes(v))).toBe(true)
    expect(new Set(rules.flatMap(r => r.namespaces))).toEqual(new Set(['shop', 'ci', 'argocd']))
  })
  test.each(["success: the seeds' timeline", 'crash-loop', 'unhealthy', 'scheduling'])(
    '%s works with exactly that Role',
    async name => {
      const { run: r, report, expect: want } = await run(name)
      expect(r.outputs.verdict).toBe(want)
      expect(report.unreadable).toEqual([])
    }
  )
  test('events forbidden: still a verdict, and the rule to add', async () => {
    const { run: r, report } = await run('unhealthy', 'events')
    expect(r.outputs.verdict).toBe('timeout') // the probe messages live only in events
    expect(report.unreadable).toEqual(['events: forbidden (allow list on events in namespace shop)'])
    expect(r.summary).toMatch(/Evidence that could not be read/)
  })
  test('pods/log forbidden: the crash loop is still named, without its log lines', async () => {
    const { run: r, report } = await run('crash-loop', 'pods/log')
    expect(r.outputs.verdict).toBe('crash-loop')
    expect(report.unreadable).toEqual(['pod logs: forbidden (allow get on pods/log in namespace shop)'])
  })
})

describe('a hostile cluster', () => {
  test('a 50 MB log line and 100,000 events: bounded in memory and time, nothing executed', async () => {
    // The real crash loop, recorded; on top, a container that prints a 50 MB line and a flood of probe events.
    const t = recorded('crash-loop-the-container-exits-three-times-ends-early-with-t')
    const pod = firstPod(t, V2)
    const line = '::warning::' + 'x'.repeat(50 * 1024 * 1024)
    const s = replay(withLog(t, pod.name, () => [line])).at(pod.at, '100,000 events on the new pod', w => {
      const p = w.pod(pod.name, NS)
      for (let i = 0; i < 100_000; i++) {
        w.store.put({
          kind: 'Event',
          metadata: { name: `${pod.name}.${i.toString(16)}`, namespace: NS },
          involvedObject: { kind: 'Pod', name: pod.name, namespace: NS, uid: p.metadata.uid },
          reason: 'Unhealthy',
          message: `::error::probe ${i} <script>`,
          type: 'Warning',
          count: 1,
          source: { component: 'kubelet' }
        })
      }
    })
    const pb = await play(s, { quiet: true })
    try {
      const started = Date.now()
      const run = await runAction({
        workload: 'deployment/web',
        namespace: NS,
        'expected-digest': `${REPO}@${NEW_DIGEST}`,
        timeout: '6s',
        kubeconfig: kubeconfigYaml(pb.server)
      })
      expect(Date.now() - started).toBeLessThan(15_000)
      expect(run.peakRssKb / 1024).toBeLessThan(400)
      expect(['crash-loop', 'unhealthy']).toContain(run.outputs.verdict)
      for (const line of run.stdout.split('\n').filter(l => /^\s*::/.test(l)))
        expect(line).toMatch(/^::(add-mask|group|endgroup|error|warning|notice)( [^:]*)?::/)
      expect(run.stdout.length).toBeLessThan(300_000)
      expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
      // Events of one object are read two pages at most; the rest is left alone.
      expect(pb.server.counts.get('list events')?.requests ?? 0).toBeLessThanOrEqual(2 * 4)
    } finally {
      await pb.stop()
    }
  }, 60_000)
})
