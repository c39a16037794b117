// Ten workloads in one step: verified together under one deadline through shared caches; the worst verdict.
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { play, Scenario, NS } from '../../testcluster/stories/stand-in.js'
import { NEW_DIGEST, OLD_DIGEST, REPO } from '../../testcluster/stories/images.js'
import { runAction } from '../../testcluster/run-action.js'
import type { World } from '../../testcluster/world.js'

const NAMES = ['web', 'api', 'cart', 'search', 'auth', 'mail', 'pay', 'feed', 'ads']

function tenWorkloads(failing: boolean): Scenario {
  const rollOut = (w: World, name: string): void => {
    w.rollout(NS, name, { [name]: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST } })
    const pod = w.newPods(NS, name)[0]!
    w.schedule(pod, NS, 'node-1')
    w.start(pod, NS)
  }
  return new Scenario('ten')
    .at(0, 'nine Deployments and a migration Job; deploy 1.4.2 everywhere', w => {
      for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
      for (const n of NAMES)
        w.deployment({
          name: n,
          namespace: NS,
          containers: [{ name: n, image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
        })
      w.job({
        name: 'migrate-42',
        namespace: NS,
        containers: [{ name: 'migrate', image: `${REPO}:1.4.2`, digest: NEW_DIGEST }]
      })
    })
    .at(0.5, 'eight Deployments roll out; the migration completes', w => {
      for (const n of NAMES.slice(0, 8)) rollOut(w, n)
      w.jobPodExits(NS, 'migrate-42', 0)
    })
    .at(1, failing ? 'ads: the new pod crash-loops' : 'ads rolls out', w => {
      if (!failing) return rollOut(w, 'ads')
      w.rollout(NS, 'ads', { ads: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST } })
      const pod = w.newPods(NS, 'ads')[0]!
      w.schedule(pod, NS, 'node-2')
      w.start(pod, NS, { ready: false })
      for (let i = 0; i < 3; i++) w.crash(pod, NS, 'ads', { log: ['panic: missing ADS_TOKEN'] })
    })
}

const workloadInput = [...NAMES.map(n => `deployment/${n}`), 'job/migrate-42'].join('\n')

test('a mixed ten-workload deploy with one failing member: the step says crash-loop, the map says who', async () => {
  const pb = await play(tenWorkloads(true), { quiet: true })
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
  const pb = await play(tenWorkloads(false), { quiet: true })
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
  const { rollingUpdate } = await import('../../testcluster/stories/stand-in.js')
  const pb = await play(rollingUpdate(1), { quiet: true })
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
  const s = new Scenario('fifteen')
    .at(0, 'fifteen Deployments; deploy 1.4.2 everywhere', w => {
      for (let i = 1; i <= 3; i++) w.node(`node-${i}`)
      for (const n of names) {
        w.deployment({
          name: n,
          namespace: NS,
          containers: [{ name: n, image: `${REPO}:1.4.1`, digest: OLD_DIGEST }]
        })
        w.rollout(NS, n, { [n]: { image: `${REPO}:1.4.2`, digest: NEW_DIGEST } })
      }
    })
    .at(0.5, 'every new pod crash-loops', w => {
      for (const n of names) {
        const pod = w.newPods(NS, n)[0]!
        w.schedule(pod, NS, 'node-1')
        w.start(pod, NS, { ready: false })
        for (let i = 0; i < 3; i++) w.crash(pod, NS, n, { log: [`panic: ${n} has no config`] })
      }
    })
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
