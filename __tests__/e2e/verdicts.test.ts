// End to end, as the runner runs it: `node dist/index.js` against the test cluster, one scenario per verdict.
import { standInStories } from '../../testcluster/stories/index.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import {
  ROLLING_UPDATE,
  SEEDS_SCALE,
  recordedTimeline,
  seedsStory
} from '../../testcluster/stories/recorded.js'
import { until } from '../../testcluster/timeline/edit.js'
import { replay } from '../../testcluster/timeline/replay.js'
import { REPO, NEW_DIGEST } from '../../testcluster/stories/images.js'
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { TestApiServer } from '../../testcluster/server.js'
import { runAction, type ActionRun } from '../../testcluster/run-action.js'

const OUTPUTS = [
  'verdict',
  'reason',
  'built-digest',
  'running-digests',
  'ready-replicas',
  'desired-replicas',
  'elapsed-seconds',
  'verdicts',
  'report'
]

function expectAllOutputs(run: ActionRun): void {
  for (const o of OUTPUTS) expect(run.outputs).toHaveProperty(o)
  expect(() => JSON.parse(run.outputs.report!)).not.toThrow()
  expect(() => JSON.parse(run.outputs['running-digests']!)).not.toThrow()
  expect(run.summary).toContain(`\`${run.outputs.verdict}\``)
  // No stack trace of ours (a crashing app's own log lines may hold one).
  expect(run.stdout + run.stderr).not.toMatch(/dist\/index\.js:\d+|node:internal\/|triggerUncaughtException/)
}

/** Story-seconds to wall-clock: the seeds' recording plays in about 3 s. */
const scaleOf = (name: string): number => (name.includes('seeds') ? SEEDS_SCALE : 1)

/** web 1.4.1 serving, as the real control plane left it before the deploy (the rolling update's setup). */
const serving = (): ReturnType<typeof replay> => replay(until(recordedTimeline(ROLLING_UPDATE), -0.1))

describe('each row of the decision table, end to end', () => {
  for (const c of standInStories()) {
    test(c.name, async () => {
      const pb = await play(c.scenario(), { scale: scaleOf(c.name), quiet: true })
      try {
        const run = await runAction({ ...c.inputs, kubeconfig: kubeconfigYaml(pb.server) })
        expect({ verdict: run.outputs.verdict, reason: run.outputs.reason }).toEqual({
          verdict: c.expect,
          reason: expect.any(String)
        })
        expectAllOutputs(run)
        expect(run.exitCode).toBe(c.expect === 'success' ? 0 : 1)
        if (c.early) {
          const deadline = parseFloat(c.inputs.timeout!)
          expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(deadline / 2)
        }
      } finally {
        await pb.stop()
      }
    })
  }
})

describe('the seeds story in detail', () => {
  test('no failure before the build pushes, and success soon after the rollout completes', async () => {
    const pb = await play(seedsStory(), { scale: SEEDS_SCALE, quiet: true })
    try {
      const lines: string[] = []
      const run = await runAction(
        {
          workload: 'deployment/web',
          namespace: NS,
          'build-pod': 'job-name=build-42',
          'build-namespace': 'ci',
          timeout: '60s',
          kubeconfig: kubeconfigYaml(pb.server)
        },
        { onStdout: c => lines.push(...c.split('\n')) }
      )
      expect(run.outputs.verdict).toBe('success')
      expect(run.outputs['built-digest']).toBe(NEW_DIGEST)
      expect(JSON.parse(run.outputs['running-digests']!)).toEqual([NEW_DIGEST])
      const report = JSON.parse(run.outputs.report!) as { history: { verdict: string }[] }
      // Along the way it saw the scheduling stall, and never called anything a failure verdict.
      expect(report.history.map(h => h.verdict)).toContain('scheduling')
      expect(lines.join('\n')).not.toMatch(/::error/)
      expect(run.summary).toContain('Timeline')
    } finally {
      await pb.stop()
    }
  })
})

describe('outputs on every path', () => {
  test('unreachable at once when the credentials are refused (401)', async () => {
    const pb = await play(serving(), { quiet: true })
    try {
      const run = await runAction({
        workload: 'deployment/web',
        namespace: NS,
        timeout: '30s',
        kubeconfig: kubeconfigYaml(pb.server, { token: 'not-a-valid-token' })
      })
      expect(run.outputs.verdict).toBe('unreachable')
      expect(run.outputs.reason).toMatch(/401/)
      expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(5)
      expectAllOutputs(run)
      // The token is only ever handed to the runner's masker.
      expect(
        run.stdout.split('\n').filter(l => l.includes('not-a-valid-token') && !l.startsWith('::add-mask::'))
      ).toEqual([])
    } finally {
      await pb.stop()
    }
  })

  test('unreachable at once when the workload may not be read (403), naming what to grant', async () => {
    const pb = await play(serving(), { quiet: true })
    try {
      const token = pb.server.addToken({
        user: 'system:serviceaccount:ci:deployer',
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]
      })
      const run = await runAction({
        workload: 'deployment/web',
        namespace: NS,
        timeout: '30s',
        kubeconfig: kubeconfigYaml(pb.server, { token })
      })
      expect(run.outputs.verdict).toBe('unreachable')
      expect(run.outputs.reason).toMatch(
        /deployments.apps "web" is forbidden: .*allow get, list and watch on deployments.apps in namespace shop/
      )
      expectAllOutputs(run)
    } finally {
      await pb.stop()
    }
  })

  test('unreachable at the deadline when nothing answers', async () => {
    const server = await new TestApiServer().start()
    const kubeconfig = kubeconfigYaml(server)
    await server.stop() // the port now refuses connections
    const run = await runAction({ workload: 'deployment/web', namespace: NS, timeout: '2s', kubeconfig })
    expect(run.outputs.verdict).toBe('unreachable')
    expect(run.outputs.reason).toMatch(/could not be read/)
    expectAllOutputs(run)
  })

  test('invalid-input names the input and exits 1', async () => {
    const run = await runAction({
      workload: 'deployment/web',
      'expected-digest': 'sha256:1234',
      timeout: '10s',
      kubeconfig: 'apiVersion: v1'
    })
    expect(run.outputs.verdict).toBe('invalid-input')
    expect(run.outputs.reason).toMatch(/^Input 'expected-digest'/)
    expect(run.exitCode).toBe(1)
    expectAllOutputs(run)
  })

  test('fail-on-verdict: false leaves the step green and the verdict in the output', async () => {
    const pb = await play(serving(), { quiet: true })
    try {
      const run = await runAction({
        workload: 'deployment/web',
        namespace: NS,
        'expected-digest': `${REPO}@${NEW_DIGEST}`,
        grace: '1s',
        timeout: '20s',
        'fail-on-verdict': 'false',
        kubeconfig: kubeconfigYaml(pb.server)
      })
      expect(run.outputs.verdict).toBe('stale')
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain('::warning')
    } finally {
      await pb.stop()
    }
  })
})

describe('evidence in the report', () => {
  test("a crash loop carries the previous container's last log lines", async () => {
    const c = standInStories().find(x => x.expect === 'crash-loop')!
    const pb = await play(c.scenario(), { quiet: true })
    try {
      const run = await runAction({ ...c.inputs, kubeconfig: kubeconfigYaml(pb.server) })
      const report = JSON.parse(run.outputs.report!) as {
        findings: { verdict: string; detail?: string[]; message: string }[]
      }
      const crash = report.findings.find(f => f.verdict === 'crash-loop')!
      expect(crash.message).toMatch(/exit 1/)
      expect(crash.detail?.join('\n')).toMatch(/ECONNREFUSED 10.96.0.12:5432/)
      expect(run.summary).toMatch(/ECONNREFUSED/)
    } finally {
      await pb.stop()
    }
  })
})

describe('reports that are true', () => {
  const story = async (prefix: string): Promise<ActionRun> => {
    const c = standInStories().find(x => x.name.startsWith(prefix))!
    const pb = await play(c.scenario(), { quiet: true })
    try {
      return await runAction({ ...c.inputs, kubeconfig: kubeconfigYaml(pb.server) })
    } finally {
      await pb.stop()
    }
  }

  test('scaled to zero: success, and every word says nothing ran and the image was not verified', async () => {
    const run = await story('success: a Deployment scaled to zero')
    expect(run.outputs.verdict).toBe('success')
    expect(run.outputs.reason).toBe(
      `deployment/web has 0 desired pods: nothing ran, so the built ${NEW_DIGEST.slice(0, 19)} was not verified`
    )
    expect(JSON.parse(run.outputs['running-digests']!)).toEqual([])
    expect(run.summary).toMatch(
      /\*\*Next step:\*\* Nothing ran: deployment\/web has 0 desired pods \(scaled to zero\)/
    )
    expect(run.summary).toContain('from expected-digest: not verified, no pod ran (0 desired pods)')
    expect(run.stdout + run.summary).not.toMatch(/pods are Ready|run the built image|all running the built/)
  })

  test('a liveness kill: the reason names the probe and its message, and the next step the probe', async () => {
    const run = await story('crash-loop: the kubelet kills the container for its liveness probe')
    expect(run.outputs.verdict).toBe('crash-loop')
    expect(run.outputs.reason).toMatch(
      /\(web\): container web is in CrashLoopBackOff after 3 restarts: the kubelet killed it because its liveness probe failed \(Liveness probe failed: HTTP probe failed with statuscode: 500\); last exit: Error \(exit 137\)$/
    )
    expect(run.summary).toMatch(/the kubelet kills the container because its liveness probe fails/)
    expect(run.summary).toMatch(/database pool exhausted/)
  })

  test('a pinned old digest: stale, naming the pin, and the next step changes the reference', async () => {
    const run = await story('stale: the manifest pins the old digest')
    expect(run.outputs.verdict).toBe('stale')
    expect(run.outputs.reason).toMatch(
      /its pod template pins registry\.example\.com\/shop\/web@sha256:[0-9a-f]{12} \(container web\), so a redeploy runs the same digest; the image reference must change to the built digest$/
    )
    expect(run.summary).toContain(`kubectl set image deployment/web web=${REPO}@${NEW_DIGEST} -n shop`)
    expect(run.summary).not.toMatch(/Redeploy so|rollout restart/)
  })
})

describe('API faults never become the verdict', () => {
  test('seeds timeline with the watch history compacted mid-run (410 Gone) → success', async () => {
    // Compactions while the build runs, while the pod waits for a node, as it starts and once it is Ready.
    const s = seedsStory()
    for (const t of [2, 6.5, 8.1, 9.25]) s.at(t, 'etcd compaction', w => w.store.compact())
    const pb = await play(s, { scale: SEEDS_SCALE, quiet: true })
    try {
      const run = await runAction({
        workload: 'deployment/web',
        namespace: NS,
        'build-pod': 'job-name=build-42',
        'build-namespace': 'ci',
        timeout: '60s',
        kubeconfig: kubeconfigYaml(pb.server)
      })
      expect(run.outputs.verdict).toBe('success')
    } finally {
      await pb.stop()
    }
  })

  const faulty = [
    { name: '5xx bursts', rules: [{ kind: 'status' as const, status: 503 as const, probability: 0.3 }] },
    { name: '429 with Retry-After', rules: [{ kind: 'throttle' as const, retryAfter: 1, times: 3 }] },
    { name: 'reset connections', rules: [{ kind: 'reset' as const, probability: 0.25 }] },
    {
      name: 'a hung request',
      rules: [{ kind: 'hang' as const, verb: 'list' as const, resource: 'pods', times: 1 }]
    },
    { name: 'dropped watches', rules: [{ kind: 'drop-watch' as const, afterMs: 300 }] },
    {
      name: 'the API away for a while',
      rules: [{ kind: 'status' as const, status: 503 as const, from: 0.5, until: 2, outage: true }]
    }
  ]
  for (const f of faulty) {
    test(`seeds timeline with ${f.name} → success`, async () => {
      const s = seedsStory().withFaults(...f.rules)
      const pb = await play(s, { scale: SEEDS_SCALE, quiet: true, seed: 7 })
      try {
        const run = await runAction({
          workload: 'deployment/web',
          namespace: NS,
          'build-pod': 'job-name=build-42',
          'build-namespace': 'ci',
          timeout: '60s',
          kubeconfig: kubeconfigYaml(pb.server)
        })
        expect(run.outputs.verdict).toBe('success')
        expect(pb.server.faults.injected).toBeGreaterThan(0)
      } finally {
        await pb.stop()
      }
    })
  }
})
