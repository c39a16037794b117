// Ten workloads in one step: verified together under one deadline through shared caches; the worst verdict.
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import { NEW_DIGEST, REPO, V2 } from '../../testcluster/stories/images.js'
import { runAction } from '../../testcluster/run-action.js'
import { firstPod, recorded, renamed, together, withLog } from '../../testcluster/timeline/edit.js'
import { replay } from '../../testcluster/timeline/replay.js'
import type { Timeline } from '../../testcluster/timeline/timeline.js'

const NAMES = ['web', 'api', 'cart', 'search', 'auth', 'mail', 'pay', 'feed', 'ads']

// What the real control plane recorded: a Deployment rolling out 1.4.2, one whose new pod crash-loops, and a
// migration Job completing; each Deployment story plays under a workload's name, all in one namespace.
const ROLLS_OUT = recorded('success-rolling-update-of-3-replicas-to-the-built-digest')
const CRASHES = recorded('crash-loop-the-container-exits-three-times-ends-early-with-t')
const MIGRATES = recorded('success-the-migration-job-completes-with-the-built-image')

/** The recorded crash loop as workload `name` (copy `n`), its new pod printing `lines`. */
function crashLoop(name: string, n: number, lines: string[]): Timeline {
  const t = renamed(CRASHES, 'web', name, n)
  return withLog(t, firstPod(t, V2).name, () => lines)
}

function tenWorkloads(failing: boolean): Timeline {
  return together(
    'ten',
    ...NAMES.map((n, i) =>
      failing && n === 'ads'
        ? crashLoop(n, i + 1, ['panic: missing ADS_TOKEN'])
        : renamed(ROLLS_OUT, 'web', n, i + 1)
    ),
    MIGRATES
  )
}

const workloadInput = [...NAMES.map(n => `deployment/${n}`), 'job/migrate-42'].join('\n')

test('a mixed ten-workload deploy with one failing member: the step says crash-loop, the map says who', async () => {
  const pb = await play(replay(tenWorkloads(true)), { quiet: true })
  try {
    const run = await runAction({
      workload: workloadInput,
      namespace: NS,
      'expected-digest': `${REPO}@${NEW_DIGEST}`,
      timeout: '30s',
      kubeconfig: kubeconfigYaml(pb.server)
    })
    expect(run.outputs.verdict).toBe('crash-loop')
    const map = JSON.parse(run.outputs.verdicts!) as Record<string, string>
    expect(Object.keys(map)).toHaveLength(10)
    expect(map['deployment/ads']).toBe('crash-loop')
    expect(Object.entries(map).filter(([, v]) => v === 'success')).toHaveLength(9)
    expect(run.outputs.reason).toMatch(/^1 of 10 workloads did not roll out; deployment\/ads: /)
    expect(run.summary).toMatch(/\| `deployment\/ads` \| ❌ `crash-loop` \|/)
    expect(run.summary).toMatch(/panic: missing ADS_TOKEN/)
    expect(run.exitCode).toBe(1)
    // One list and one watch per kind and namespace for the workload objects and ReplicaSets, shared by all.
    const count = (k: string): number => pb.server.counts.get(k)?.requests ?? 0
    expect([count('list deployments'), count('list jobs'), count('list replicasets')]).toEqual([1, 1, 1])
    expect(count('watch deployments')).toBeLessThanOrEqual(2)
    expect(count('watch replicasets')).toBeLessThanOrEqual(2)
  } finally {
    await pb.stop()
  }
})

test('all ten roll out: success, every workload in the map', async () => {
  const pb = await play(replay(tenWorkloads(false)), { quiet: true })
  try {
    const run = await runAction({
      workload: workloadInput.replace(/\n/g, ', '),
      namespace: NS,
      'expected-digest': `${REPO}@${NEW_DIGEST}`,
      timeout: '30s',
      kubeconfig: kubeconfigYaml(pb.server)
    })
    expect(run.outputs.verdict).toBe('success')
    expect(Object.values(JSON.parse(run.outputs.verdicts!) as Record<string, string>)).toEqual(
      Array(10).fill('success')
    )
    expect(run.outputs.reason).toMatch(/^all 10 workloads rolled out/)
  } finally {
    await pb.stop()
  }
})

test('without a workload input, the applied YAML (manifests) names the workloads', async () => {
  const pb = await play(replay(ROLLS_OUT), { quiet: true })
  try {
    const run = await runAction(
      {
        manifests: 'docs/examples/web.yaml',
        namespace: NS,
        'expected-digest': `${REPO}@${NEW_DIGEST}`,
        timeout: '30s',
        kubeconfig: kubeconfigYaml(pb.server)
      },
      { env: { GITHUB_WORKSPACE: process.cwd() } }
    )
    expect(run.stdout).toMatch(/workloads from the manifests: deployment\/web/)
    expect(run.outputs.verdict).toBe('success')
  } finally {
    await pb.stop()
  }
})

test('15 failing workloads: 10 error annotations, then a notice naming the 6 more the summary holds', async () => {
  const names = Array.from({ length: 15 }, (_, i) => `svc-${i + 1}`)
  // The recorded crash loop, fifteen times over, each pod printing its own panic.
  const s = replay(
    together('fifteen', ...names.map((n, i) => crashLoop(n, i + 1, [`panic: ${n} has no config`])))
  )
  const pb = await play(s, { quiet: true })
  try {
    const run = await runAction({
      workload: names.map(n => `deployment/${n}`).join('\n'),
      namespace: NS,
      'expected-digest': `${REPO}@${NEW_DIGEST}`,
      timeout: '30s',
      kubeconfig: kubeconfigYaml(pb.server)
    })
    expect(run.outputs.verdict).toBe('crash-loop')
    const commands = run.stdout.split('\n').filter(l => /^::(error|warning|notice)[ :]/.test(l))
    const errors = commands.filter(l => l.startsWith('::error'))
    expect(errors).toHaveLength(10)
    expect(errors[0]).toMatch(
      /^::error title=kube-verdict%3A crash-loop::15 of 15 workloads did not roll out/
    )
    expect(commands.filter(l => l.startsWith('::warning'))).toEqual([])
    expect(commands.filter(l => l.startsWith('::notice'))).toEqual([
      '::notice title=kube-verdict::6 more findings in the job summary'
    ])
    // The summary holds all fifteen.
    for (const n of names) expect(run.summary).toContain(`panic: ${n} has no config`)
  } finally {
    await pb.stop()
  }
})
