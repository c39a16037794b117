// Several workloads in one step on the real control plane: five Deployments and a migration Job verified
// together under one deadline, the worst verdict for the step and the `verdicts` map for each; and the
// workloads named by the applied YAML (`manifests`) when there is no `workload` input; fifteen failing workloads
// within GitHub's annotation limits.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import type { Obj } from '../../testcluster/real/client.js'
import {
  kubeconfigForStory,
  realCluster,
  runStory,
  slug,
  type RealCluster
} from '../../testcluster/real/harness.js'
import { V1, V2, NEW_DIGEST, OLD_DIGEST, REPO } from '../../testcluster/stories/images.js'
import type { RealStory, StoryNs } from '../../testcluster/stories/story.js'
import { deployment, serving, webContainer } from '../../testcluster/stories/real.js'
import type { RealWorld } from '../../testcluster/real/world.js'
import { runAction } from '../../testcluster/run-action.js'

let c: RealCluster

beforeAll(async () => {
  c = await realCluster({ crashBackoff: 0.5 })
}, 120_000)

afterAll(async () => {
  await c?.stop()
})

const NAMES = ['web', 'api', 'cart', 'search', 'ads']
/** CI pushed the build under its version tag and its build tag; ads pins the digest. */
const BUILD_TAG = `${REPO}:build-42`
const PINNED = `${REPO}@${NEW_DIGEST}`

function migration(ns: string, image: string): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate-42', namespace: ns },
    spec: {
      backoffLimit: 0,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] } }
    }
  }
}

/** Five Deployments serving 1.4.1; the deploy step sets 1.4.2 everywhere and starts the migration Job. */
async function fiveAndAJob(w: RealWorld, s: StoryNs, failing: boolean): Promise<void> {
  w.registry.push(V1, OLD_DIGEST)
  w.registry.push(V2, NEW_DIGEST)
  w.registry.push(BUILD_TAG, NEW_DIGEST)
  w.registry.set(
    BUILD_TAG,
    { program: { kind: 'exit', code: 0, after: 0.5, log: ['applied 3 migrations'] } },
    s.app
  )
  if (failing)
    w.registry.set(
      PINNED,
      { program: { kind: 'exit', code: 2, after: 0.3, log: ['panic: missing ADS_TOKEN'] } },
      s.app
    )
  for (const n of NAMES) await w.apply(deployment(s.app, n, [{ ...webContainer(V1), name: n }]))
  for (const n of NAMES) await w.rolledOut(s.app, n)
  for (const n of NAMES)
    await w.apply(deployment(s.app, n, [{ ...webContainer(n === 'ads' ? PINNED : V2), name: n }]))
  await w.apply(migration(s.app, BUILD_TAG))
}

const workloadInput = [...NAMES.map(n => `deployment/${n}`), 'job/migrate-42'].join('\n')

function story(failing: boolean, list: string): RealStory {
  return {
    name: failing ? 'many-failing' : 'many-ok',
    expect: failing ? 'crash-loop' : 'success',
    timeout: '60s',
    inputs: s => ({ workload: list, namespace: s.app, 'expected-digest': `${REPO}@${NEW_DIGEST}` }),
    setup: (w, s) => fiveAndAJob(w, s, failing)
  }
}

test('a mixed six-workload deploy with one failing member: the step says crash-loop, the map says who', async () => {
  const { run } = await runStory(c, story(true, workloadInput))
  expect(run.outputs.verdict).toBe('crash-loop')
  const map = JSON.parse(run.outputs.verdicts!) as Record<string, string>
  expect(Object.keys(map).sort()).toEqual([...NAMES.map(n => `deployment/${n}`), 'job/migrate-42'].sort())
  expect(map['deployment/ads']).toBe('crash-loop')
  expect(Object.entries(map).filter(([, v]) => v === 'success')).toHaveLength(5)
  expect(run.outputs.reason).toMatch(/^1 of 6 workloads did not roll out; deployment\/ads: /)
  expect(run.summary).toMatch(/\| `deployment\/ads` \| ❌ `crash-loop` \|/)
  expect(run.summary).toMatch(/panic: missing ADS_TOKEN/)
  expect(run.exitCode).toBe(1)
  // The crash-loop ends the step early, before the deadline.
  expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(30)
}, 120_000)

test('all six roll out: success, every workload in the map', async () => {
  const { run } = await runStory(c, story(false, workloadInput.replace(/\n/g, ', ')))
  expect(`${run.outputs.verdict}: ${run.outputs.reason}`).toMatch(/^success: all 6 workloads rolled out/)
  expect(Object.values(JSON.parse(run.outputs.verdicts!) as Record<string, string>)).toEqual(
    Array(6).fill('success')
  )
  expect(run.exitCode).toBe(0)
}, 120_000)

test('without a workload input, the applied YAML (manifests) names the workloads', async () => {
  // The deploy step's YAML: docs/examples/web.yaml (Service and Deployment) and the migration Job, in the
  // story's namespace, as `kustomize edit set namespace` would leave them.
  const workspace = mkdtempSync(join(tmpdir(), 'kv-ws-'))
  mkdirSync(join(workspace, 'deploy'))
  const manifests: RealStory = {
    name: 'manifests',
    expect: 'success',
    timeout: '60s',
    inputs: s => ({
      manifests: 'deploy/*.yaml',
      namespace: s.app,
      'expected-digest': `${REPO}@${NEW_DIGEST}`
    }),
    setup: async (w, s) => {
      await serving(w, s)
      w.registry.push(BUILD_TAG, NEW_DIGEST)
      w.registry.set(BUILD_TAG, { program: { kind: 'exit', code: 0, after: 0.5 } }, s.app)
      const web = readFileSync('docs/examples/web.yaml', 'utf8').replace(
        /namespace: shop/g,
        `namespace: ${s.app}`
      )
      writeFileSync(join(workspace, 'deploy/web.yaml'), web)
      writeFileSync(
        join(workspace, 'deploy/migrate.yaml'),
        `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate-42\n  namespace: ${s.app}\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: ${BUILD_TAG}\n`
      )
      await w.api.create(`/api/v1/namespaces/${s.app}/secrets`, {
        metadata: { name: 'db-creds' },
        stringData: { DATABASE_URL: 'postgres://orders' }
      })
      for (const f of ['web.yaml', 'migrate.yaml'])
        for (const doc of parseAllDocuments(readFileSync(join(workspace, 'deploy', f), 'utf8')))
          await w.apply(doc.toJS() as Obj)
    }
  }
  // runStory with the workspace: the action reads the manifests relative to GITHUB_WORKSPACE.
  const id = slug(manifests.name)
  const ns = { app: id, build: `${id}-ci` }
  await c.cp.namespace(ns.app)
  const kubeconfig = await kubeconfigForStory(c, manifests, ns, false)
  await manifests.setup(c.world, ns)
  const run = await runAction(
    { ...manifests.inputs(ns), timeout: manifests.timeout, kubeconfig },
    { env: { GITHUB_WORKSPACE: workspace } }
  )
  // In the glob's order: deploy/migrate.yaml, then deploy/web.yaml.
  expect(run.stdout).toMatch(/workloads from the manifests: job\/migrate-42, deployment\/web\n/)
  expect(`${run.outputs.verdict}: ${run.outputs.reason}`).toMatch(/^success: all 2 workloads rolled out/)
  expect(run.exitCode).toBe(0)
}, 120_000)

test('15 failing workloads: 10 error annotations, then a notice naming the 6 more the summary holds', async () => {
  const names = Array.from({ length: 15 }, (_, i) => `svc-${i + 1}`)
  const fifteen: RealStory = {
    name: 'fifteen-failing',
    expect: 'crash-loop',
    timeout: '60s',
    inputs: s => ({
      workload: names.map(n => `deployment/${n}`).join('\n'),
      namespace: s.app,
      'expected-digest': `${REPO}@${NEW_DIGEST}`
    }),
    setup: async (w, s) => {
      // Each service's build of the same commit, under its own tag: every one exits for want of its config.
      for (const n of names) {
        const tag = `${REPO}:${n}-42`
        w.registry.push(tag, NEW_DIGEST)
        w.registry.set(
          tag,
          { program: { kind: 'exit', code: 1, after: 0.3, log: [`panic: ${n} has no config`] } },
          s.app
        )
        await w.apply(deployment(s.app, n, [{ ...webContainer(tag), name: n }]))
      }
    }
  }
  const { run } = await runStory(c, fifteen)
  expect(run.outputs.verdict).toBe('crash-loop')
  const commands = run.stdout.split('\n').filter(l => /^::(error|warning|notice)[ :]/.test(l))
  const errors = commands.filter(l => l.startsWith('::error'))
  expect(errors).toHaveLength(10)
  expect(errors[0]).toMatch(/^::error title=kube-verdict%3A crash-loop::15 of 15 workloads did not roll out/)
  expect(commands.filter(l => l.startsWith('::warning'))).toEqual([])
  expect(commands.filter(l => l.startsWith('::notice'))).toEqual([
    '::notice title=kube-verdict::6 more findings in the job summary'
  ])
  // The summary holds all fifteen, each with its crashed run's last line.
  for (const n of names) expect(run.summary).toContain(`panic: ${n} has no config`)
  expect(run.exitCode).toBe(1)
}, 180_000)
