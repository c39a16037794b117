// Every workflow the README shows (docs/examples/workflows/) under a real Actions runner, nektos/act in host
// mode, against the real control plane: act loads action.yml, sets the inputs and their defaults, runs the bundle
// on Node 24 and carries outputs to later steps and jobs. Only the steps that need the internet are swapped
// (testcluster/runner/offline.ts); kubectl, Helm, kube-verdict and the jobs gated on its outputs run as written.
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { TestGitHubApi } from '../../testcluster/github.js'
import {
  NEW_SHA,
  OLD_SHA,
  application,
  argoStatus,
  argoWrite,
  fluxStatus,
  fluxWrite,
  kustomization
} from '../../testcluster/stories/gitops-tools.js'
import { deployment, webContainer } from '../../testcluster/stories/real.js'
import { NEW_DIGEST, OLD_DIGEST, kaniko } from '../../testcluster/stories/images.js'
import { runWorkflow, type WorkflowOptions, type WorkflowRun } from '../../testcluster/runner/act.js'
import { offline } from '../../testcluster/runner/offline.js'
import { workflowCluster, type WorkflowCluster } from '../../testcluster/runner/world.js'

const DIR = 'docs/examples/workflows'
const IMAGE = 'ghcr.io/acme/shop/web'
const BUILT = `${IMAGE}@${NEW_DIGEST}`
const SERVING = `${IMAGE}:1.4.1`
const sleep = (s: number): Promise<void> => new Promise(r => setTimeout(r, s * 1000))

let c: WorkflowCluster
let fresh = true

beforeAll(async () => {
  c = await workflowCluster()
}, 180_000)

afterAll(async () => {
  await c?.stop()
})

// Each story starts from the namespaces the examples name, empty, with deploy/rbac.yaml applied.
beforeEach(async () => {
  if (!fresh) await c.reset()
  fresh = false
}, 180_000)

/** The docker steps of the README's build: swapped for one that writes the built digest. */
const DOCKER_SWAPS = [
  'docker/login-action@v3: dropped',
  'docker/setup-buildx-action@v3: dropped',
  `docker/build-push-action@v6: writes digest=${NEW_DIGEST}`
]

interface Played {
  r: WorkflowRun
  swapped: string[]
}

/** Runs the example as the runner would, while `during` plays what the cluster's machines and tools do. */
async function play(
  file: string,
  o: Partial<WorkflowOptions> & { during?: () => Promise<void> } = {}
): Promise<Played> {
  const { text, swapped } = offline(readFileSync(join(DIR, file), 'utf8'), {
    digest: NEW_DIGEST,
    sha: NEW_SHA,
    artifacts: mkdtempSync(join(tmpdir(), 'kv-artifacts-'))
  })
  let duringError: unknown
  const during = o.during?.().catch(e => (duringError = e))
  const r = await runWorkflow({
    workflow: text,
    file,
    ...o,
    secrets: {
      KUBECONFIG: c.kubeconfig,
      FLEET_KUBECONFIG: fleet(c.kubeconfig),
      GITHUB_TOKEN: 'ghs_workflowtoken',
      ...o.secrets
    }
  })
  await during
  if (process.env.KV_DEBUG) console.log(r.events.map(e => e.msg).join('\n'), r.other)
  expect(duringError).toBeUndefined()
  // Whatever the story, no stack trace of ours reaches the log.
  expect(r.events.map(e => e.msg).join('\n')).not.toMatch(/dist\/index\.js:\d+|node:internal\/|at async /)
  return { r, swapped }
}

const FLEET = ['staging', 'prod-eu', 'prod-us']

/**
 * The fleet's kubeconfig secret: a context per cluster. Here the three contexts reach the one control plane (three
 * real ones at once are __tests__/real/clusters.test.ts's): the runner, the inputs and the outputs are what is tested.
 */
function fleet(kubeconfig: string): string {
  const kc = parse(kubeconfig) as { contexts: { name: string; context: object }[]; 'current-context': string }
  const context = kc.contexts[0]!.context
  return stringify({
    ...kc,
    contexts: FLEET.map(name => ({ name, context })),
    'current-context': FLEET[0]
  })
}

/** web 1.4.1 serving in shop, as before the deploy. */
async function serving(
  name = 'web',
  extra: Record<string, unknown> = {},
  spec: Record<string, unknown> = {}
): Promise<void> {
  c.world.registry.push(SERVING, OLD_DIGEST)
  await c.world.apply(deployment('shop', name, [{ ...webContainer(SERVING), name, ...extra }], { spec }))
  await c.world.rolledOut('shop', name)
}

const crashes = (): void =>
  c.world.registry.set(
    BUILT,
    { program: { kind: 'exit', code: 1, after: 0.3, log: ['Error: connect ECONNREFUSED 10.0.0.7:5432'] } },
    'shop'
  )

test('every example in docs/examples/workflows has a story here', () => {
  const source = readFileSync(new URL(import.meta.url), 'utf8')
  for (const f of readdirSync(DIR))
    expect({ f, played: source.includes(`play('${f}'`) }).toEqual({ f, played: true })
})

describe('deploy.yml: the README workflow', () => {
  test('success: the verdict output gates the promote job, which runs', async () => {
    await serving()
    const { r, swapped } = await play('deploy.yml')
    expect(swapped).toEqual(DOCKER_SWAPS)
    expect(r.output('deploy', 'verify', 'verdict')).toBe('success')
    expect(r.output('deploy', 'verify', 'built-digest')).toBe(NEW_DIGEST)
    expect(r.job('deploy')).toBe('success')
    expect(r.job('promote')).toBe('success')
    expect(r.log('promote')).toContain('promoting to production')
    // The job summary, as the runner collects it from GITHUB_STEP_SUMMARY.
    expect(r.summary('deploy')).toMatch(/success/)
    expect(r.summary('deploy')).toContain(NEW_DIGEST.slice(7, 19))
    expect(r.exitCode).toBe(0)
  }, 180_000)

  test('crash-loop: the step fails the deploy job, the promote job is skipped, the finding is annotated', async () => {
    await serving()
    crashes()
    const { r } = await play('deploy.yml')
    expect(r.output('deploy', 'verify', 'verdict')).toBe('crash-loop')
    expect(r.step('deploy', 'verify')).toBe('failure')
    expect(r.job('deploy')).toBe('failure')
    expect(r.job('promote')).toBe('skipped')
    const errors = r.annotations('deploy').filter(a => a.level === 'error')
    expect(errors[0]).toMatchObject({ title: 'kube-verdict: crash-loop' })
    expect(errors[0]!.message).toMatch(/exit/)
    expect(r.summary('deploy')).toContain('ECONNREFUSED')
    expect(r.exitCode).not.toBe(0)
  }, 180_000)
})

test('gate-on-verdict.yml: fail-on-verdict false; a later step reads the verdict and rolls back', async () => {
  await serving()
  crashes()
  const { r } = await play('gate-on-verdict.yml')
  expect(r.step('deploy', 'verify')).toBe('success')
  expect(r.output('deploy', 'verify', 'verdict')).toBe('crash-loop')
  expect(r.log('deploy')).toMatch(/kube-verdict: crash-loop: /)
  expect(r.log('deploy')).toContain('deployment.apps/web rolled back')
  expect(r.job('deploy')).toBe('success')
  const d = await c.cp.admin.get('/apis/apps/v1/namespaces/shop/deployments/web')
  expect(d.spec.template.spec.containers[0].image).toBe(SERVING)
}, 180_000)

test("many-workloads.yml: a later step reads one workload's verdict with fromJSON", async () => {
  await serving()
  await c.cp.admin.create('/api/v1/namespaces/shop/secrets', {
    metadata: { name: 'api-db' },
    stringData: { url: 'postgres://db/shop' }
  })
  // The API team gives its rollouts 10 s (progressDeadlineSeconds): the real Deployment controller then marks the
  // rollout failed, which ends the wait with the pods' cause instead of waiting out the example's 10m default.
  await serving('api', { envFrom: [{ secretRef: { name: 'api-db' } }] }, { progressDeadlineSeconds: 10 })
  // Rotated away before the deploy: the new api pods cannot start.
  await c.cp.admin.delete('/api/v1/namespaces/shop/secrets/api-db')
  const { r, swapped } = await play('many-workloads.yml')
  expect(swapped).toEqual(DOCKER_SWAPS)
  expect(JSON.parse(r.output('deploy', 'verify', 'verdicts') ?? '{}')).toEqual({
    'deployment/web': 'success',
    'deployment/api': 'config-error'
  })
  expect(r.step('deploy', 'verify')).toBe('success')
  expect(r.annotations('deploy')).toContainEqual(
    expect.objectContaining({
      level: 'warning',
      title: 'deployment/api',
      message: 'config-error, see the job summary'
    })
  )
  expect(r.job('deploy')).toBe('failure')
}, 180_000)

test('helm.yml: a real helm upgrade --install, then the release verified', async () => {
  const chart = mkdtempSync(join(tmpdir(), 'kv-chart-'))
  cpSync('docs/examples/chart', chart, { recursive: true })
  const files = Object.fromEntries(
    ['Chart.yaml', 'values.yaml', 'templates/deployment.yaml', 'templates/service.yaml'].map(f => [
      `chart/${f}`,
      readFileSync(join(chart, f), 'utf8')
    ])
  )
  const { r, swapped } = await play('helm.yml', { files })
  expect(swapped).toEqual(DOCKER_SWAPS)
  expect(r.output('deploy', '1', 'verdict') ?? findOutput(r, 'verdict')).toBe('success')
  expect(findOutput(r, 'applied-revision')).toBe('1')
  expect(findOutput(r, 'reason')).toMatch(/^Helm applied revision 1/)
  expect(r.job('deploy')).toBe('success')
}, 180_000)

/** An output of the job's kube-verdict step, whatever its id. */
function findOutput(r: WorkflowRun, name: string): string | undefined {
  return r.events.find(e => e.jobID === 'deploy' && e.command === 'set-output' && e.name === name)?.arg
}

test('argocd.yml: the push step names the commit; Argo CD applies it; verified at that revision', async () => {
  await serving()
  await c.world.apply(application('argocd', 'shop'))
  const status = (synced: string, phase: string, op: string): object =>
    argoStatus('shop', {
      synced,
      sync: 'Synced',
      health: 'Healthy',
      opRevision: op,
      phase,
      message: phase === 'Running' ? 'one or more tasks are running' : 'successfully synced (all tasks run)'
    })
  await argoWrite(c.world, 'argocd', status(OLD_SHA, 'Succeeded', OLD_SHA))
  const { r, swapped } = await play('argocd.yml', {
    during: async () => {
      await sleep(1.5)
      await argoWrite(c.world, 'argocd', status(OLD_SHA, 'Running', NEW_SHA))
      await c.world.apply(deployment('shop', 'web', [webContainer(BUILT)]))
      await c.world.rolledOut('shop', 'web')
      await argoWrite(c.world, 'argocd', status(NEW_SHA, 'Succeeded', NEW_SHA))
    }
  })
  expect(swapped).toEqual([
    ...DOCKER_SWAPS,
    'actions/checkout@v4 (acme/shop-config): dropped',
    `id push: writes sha=${NEW_SHA}`
  ])
  expect(findOutput(r, 'verdict')).toBe('success')
  expect(findOutput(r, 'applied-revision')).toBe(NEW_SHA)
  expect(r.job('deploy')).toBe('success')
}, 180_000)

test('flux.yml: Flux applies the pushed commit; verified at that revision', async () => {
  await serving()
  await c.world.apply(kustomization('flux-system'))
  const status = (applied: string, attempted: string, ready: string, reason: string): object =>
    fluxStatus('shop', {
      applied,
      attempted,
      ready,
      reason,
      message: `Applied revision: main@sha1:${applied}`
    })
  await fluxWrite(c.world, 'flux-system', status(OLD_SHA, OLD_SHA, 'True', 'ReconciliationSucceeded'))
  const { r } = await play('flux.yml', {
    during: async () => {
      await sleep(1.5)
      await fluxWrite(c.world, 'flux-system', status(OLD_SHA, NEW_SHA, 'Unknown', 'Progressing'))
      await c.world.apply(deployment('shop', 'web', [webContainer(BUILT)]))
      await c.world.rolledOut('shop', 'web')
      await fluxWrite(c.world, 'flux-system', status(NEW_SHA, NEW_SHA, 'True', 'ReconciliationSucceeded'))
    }
  })
  expect(findOutput(r, 'verdict')).toBe('success')
  expect(findOutput(r, 'applied-revision')).toContain(NEW_SHA)
  expect(r.job('deploy')).toBe('success')
}, 180_000)

test('kaniko.yml: kubectl creates the build Job; the action reads the pushed digest from its log', async () => {
  await serving()
  const { r, swapped } = await play('kaniko.yml', {
    onCommit: sha => {
      const tag = `${IMAGE}:${sha}`
      // The tag exists once Kaniko pushed it; the new pod's pull takes longer than the build's last second.
      c.world.registry.set(tag, { pull: 'not-found', pullSeconds: 3 }, 'shop')
      c.world.registry.set(
        'gcr.io/kaniko-project/executor:v1.23.2',
        {
          program: {
            kind: 'script',
            steps: [
              { at: 0, log: [kaniko(0, 'Retrieving image manifest node:22-alpine')] },
              {
                at: 1,
                push: { image: tag, digest: NEW_DIGEST },
                log: [kaniko(40, `Pushing image to ${tag}`), kaniko(41, `Pushed ${IMAGE}@${NEW_DIGEST}`)]
              },
              { at: 1.2, exit: 0 }
            ]
          }
        },
        'ci'
      )
    }
  })
  expect(swapped).toEqual([])
  expect(findOutput(r, 'verdict')).toBe('success')
  expect(findOutput(r, 'built-digest')).toBe(NEW_DIGEST)
  expect(r.job('deploy')).toBe('success')
}, 180_000)

test('deployment-status.yml: in_progress, then success, posted to the GitHub API the runner names', async () => {
  await serving()
  const api = await new TestGitHubApi([{ id: 4242, environment: 'production' }]).start()
  try {
    const { r } = await play('deployment-status.yml', { env: { GITHUB_API_URL: api.url } })
    expect(findOutput(r, 'verdict')).toBe('success')
    const states = api.requests.filter(q => q.method === 'POST').map(q => q.body?.state)
    expect(states).toEqual(['in_progress', 'success'])
    expect(api.requests.every(q => q.path.startsWith('/repos/acme/shop/'))).toBe(true)
    expect(api.requests.every(q => q.auth === 'token ghs_workflowtoken')).toBe(true)
  } finally {
    await api.stop()
  }
}, 180_000)

describe('several-clusters.yml: one step verifies every cluster of the fleet', () => {
  test('success: cluster-verdicts names each context, the step and the job succeed', async () => {
    await serving()
    const { r, swapped } = await play('several-clusters.yml')
    expect(swapped).toEqual(DOCKER_SWAPS)
    expect(r.output('deploy', 'verify', 'verdict')).toBe('success')
    expect(JSON.parse(r.output('deploy', 'verify', 'cluster-verdicts') ?? '{}')).toEqual({
      staging: 'success',
      'prod-eu': 'success',
      'prod-us': 'success'
    })
    expect(r.summary('deploy')).toMatch(/kube-verdict: `success` — 3 clusters/)
    expect(r.job('deploy')).toBe('success')
  }, 180_000)

  test('crash-loop: a later step reads cluster-verdicts and names each cluster where it did not land', async () => {
    await serving()
    crashes()
    const { r } = await play('several-clusters.yml')
    expect(r.output('deploy', 'verify', 'verdict')).toBe('crash-loop')
    expect(r.step('deploy', 'verify')).toBe('success')
    const named = 'name the clusters where it did not land'
    expect(r.events.find(e => e.step === named && e.stepResult)?.stepResult).toBe('failure')
    // act sometimes loses the raw output of a step that fails within milliseconds of its last line (seen on the
    // deploy.yml crash-loop story too): when the step's lines reached the log, each cluster has its annotation.
    if (r.events.some(e => e.step === named && e.command === 'error'))
      for (const title of FLEET)
        expect(r.annotations('deploy')).toContainEqual(
          expect.objectContaining({ level: 'error', title, message: 'crash-loop, see the job summary' })
        )
    expect(r.job('deploy')).toBe('failure')
  }, 180_000)
})

test("matrix-clusters.yml: a job per cluster, and a last job that reads every leg's report", async () => {
  await serving()
  const { r, swapped } = await play('matrix-clusters.yml')
  expect(swapped).toEqual([
    ...DOCKER_SWAPS,
    "actions/upload-artifact@v4: copies into the test's artifact directory",
    "actions/download-artifact@v4: copies from the test's artifact directory"
  ])
  expect(r.job('verdict')).toBe('success')
  for (const cluster of FLEET)
    expect(r.log('verdict')).toMatch(new RegExp(`${cluster}: success: deployment/web rolled out`))
}, 240_000)
