// Helm, Argo CD and Flux on the real control plane: the world plays the tools (their storage and status, as they
// document them) and applies what they "applied"; the real controllers run it. Each story runs the bundle as the
// runner does, with a real ServiceAccount token bound by deploy/rbac.yaml.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { installCrd } from '../../testcluster/real/crds.js'
import { gitopsStories } from '../../testcluster/stories/index.js'
import { NEW_SHA, SECRET_VALUE } from '../../testcluster/stories/gitops-tools.js'
import {
  kubeconfigForStory,
  realCluster,
  runStory,
  slug,
  type RealCluster
} from '../../testcluster/real/harness.js'

let c: RealCluster

beforeAll(async () => {
  c = await realCluster({ crashBackoff: 0.5 })
  await installCrd(c.cp, {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Application',
    plural: 'applications'
  })
  await installCrd(c.cp, {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'Kustomization',
    plural: 'kustomizations'
  })
  await installCrd(c.cp, {
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    kind: 'HelmRelease',
    plural: 'helmreleases'
  })
}, 120_000)

afterAll(async () => {
  await c?.stop()
})

describe('what Helm, Argo CD and Flux deployed, verified on the real control plane', () => {
  for (const story of gitopsStories()) {
    test(
      story.name,
      async () => {
        const { run, thenError, verdictAt } = await runStory(c, story)
        expect(thenError).toBeUndefined()
        if (process.env.KV_DEBUG)
          console.log(`${story.name}\n  → ${run.outputs.verdict}: ${run.outputs.reason}\n${run.summary}`)
        expect(`${run.outputs.verdict}: ${run.outputs.reason}`).toMatch(new RegExp(`^${story.expect}: .+`))
        expect(run.exitCode).toBe(story.expect === 'success' ? 0 : 1)
        if (story.reason) expect(run.outputs.reason).toMatch(story.reason)
        if (story.summary) expect(run.summary).toMatch(story.summary)
        const report = JSON.parse(run.outputs.report!) as {
          elapsedSeconds: number
          gitops?: { tool: string; applied?: string; appliedAt?: number }
        }
        const elapsed = report.elapsedSeconds
        if (story.early) expect(elapsed).toBeLessThan(parseFloat(story.timeout) / 2)
        // On the story's clock, where the world made its changes (the action starts later when the machine is busy).
        if (story.notBefore !== undefined) expect(verdictAt).toBeGreaterThanOrEqual(story.notBefore)
        expect(report.gitops).toBeDefined()
        // Success never comes before the tool applied the change (the same tenth of a second when the pods
        // were already Ready by then).
        if (story.expect === 'success') expect(elapsed).toBeGreaterThanOrEqual(report.gitops!.appliedAt!)
        if (story.expect === 'success') expect(run.outputs['applied-revision']).not.toBe('')
        // Helm's release holds the chart's values: none of it may leak anywhere.
        for (const text of [run.stdout, run.stderr, run.summary, ...Object.values(run.outputs)])
          expect(text).not.toContain(SECRET_VALUE)
        expect(run.stdout + run.stderr).not.toMatch(
          /dist\/index\.js:\d+|node:internal\/|triggerUncaughtException/
        )
      },
      120_000
    )
  }
})

describe('the CLI takes the same sources', () => {
  test('--argocd-application with --revision: the same verdict and exit code as the action', async () => {
    const story = gitopsStories().find(s => s.name.startsWith('argo cd: the sync of the commit fails'))!
    const id = slug('cli argo')
    const ns = { app: id, build: `${id}-ci` }
    await c.cp.namespace(ns.app)
    const kubeconfig = await kubeconfigForStory(c, story, ns, false)
    await story.setup(c.world, ns)
    await story.then!(c.world, ns)
    const dir = mkdtempSync(join(tmpdir(), 'kv-cli-'))
    writeFileSync(join(dir, 'config'), kubeconfig)
    const r = await new Promise<{ code: number; out: string }>(res => {
      const p = spawn(
        process.execPath,
        [
          resolve('bin/kube-verdict.js'),
          '--argocd-application',
          `${ns.app}/shop`,
          '--revision',
          NEW_SHA,
          '--timeout',
          '20s',
          '--json'
        ],
        { env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: join(dir, 'config') } }
      )
      let out = ''
      p.stdout.on('data', (b: Buffer) => (out += b.toString()))
      p.on('close', code => res({ code: code ?? -1, out }))
    })
    const report = JSON.parse(r.out) as { verdict: string; reason: string; gitops: { object: string } }
    expect(report.verdict).toBe('apply-failed')
    expect(report.gitops.object).toBe(`Argo CD Application ${ns.app}/shop`)
    expect(r.code).toBe(1)
  }, 60_000)
})
