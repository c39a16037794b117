// Which workload a finding belongs to, end to end: its annotation lands in that workload's YAML, the next step
// names that workload, and a Knative Service's manifest (kind: Service) is found by its apiVersion.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { standInStories } from '../../testcluster/stories/index.js'
import { play, NS } from '../../testcluster/stories/stand-in.js'
import { recorded, renamed, together } from '../../testcluster/timeline/edit.js'
import { replay } from '../../testcluster/timeline/replay.js'
import { NEW_DIGEST, REPO } from '../../testcluster/stories/images.js'
import { kubeconfigYaml } from '../../testcluster/kubeconfig.js'
import { runAction } from '../../testcluster/run-action.js'

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kv-ws-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const lineOf = (text: string, needle: string, nth = 1): number => {
  let seen = 0
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === nth) return i + 1
  throw new Error(needle)
}

const annotations = (stdout: string): string[] =>
  stdout.split('\n').filter(l => /^::(error|warning|notice) /.test(l))

const deploymentYaml = (name: string, tag: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${REPO}:${tag}
`

test('a Knative finding is annotated on the applied Service (kind: Service, apiVersion serving.knative.dev)', async () => {
  const c = standInStories().find(x => x.name.startsWith('image-pull: a Knative revision'))!
  const yaml = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: user-container
          image: ${REPO}:1.4.3
`
  const ws = workspace({ 'ksvc.yaml': yaml })
  const pb = await play(c.scenario(), { quiet: true })
  try {
    const run = await runAction(
      { ...c.inputs, manifests: 'ksvc.yaml', kubeconfig: kubeconfigYaml(pb.server) },
      { env: { GITHUB_WORKSPACE: ws } }
    )
    expect(run.outputs.verdict).toBe('image-pull')
    expect(run.stdout).not.toMatch(/no \w+ "web" in 1 file/)
    const located = annotations(run.stdout).filter(l => l.includes('file=ksvc.yaml'))
    expect(located.length).toBeGreaterThan(0)
    expect(located[0]).toContain(`line=${lineOf(yaml, 'image:')}`)
  } finally {
    await pb.stop()
  }
})

test("with several workloads, the next step names the one that failed, not the step's list", async () => {
  const pb = await play(replay(recorded('success-rolling-update-of-3-replicas-to-the-built-digest')), {
    quiet: true
  })
  try {
    const run = await runAction({
      workload: 'deployment/web, deployment/nope',
      namespace: NS,
      'expected-digest': `${REPO}@${NEW_DIGEST}`,
      grace: '1s',
      timeout: '20s',
      kubeconfig: kubeconfigYaml(pb.server)
    })
    expect(run.outputs.verdict).toBe('not-found')
    const next = run.stdout.split('\n').find(l => l.startsWith('next step: '))!
    expect(next).toMatch(/deployment\/nope is not in namespace shop/)
    expect(next).not.toMatch(/deployment\/web/)
    expect(run.summary).not.toMatch(/deployment\/web, deployment\/nope is not in namespace/)
  } finally {
    await pb.stop()
  }
})

test("a finding of the second workload is annotated in that workload's YAML, not the first's", async () => {
  const yaml = deploymentYaml('web', '1.4.2') + '---\n' + deploymentYaml('api', '1.4.2')
  const ws = workspace({ 'app.yaml': yaml })
  // Recorded on the real control plane: web rolls out; the story whose new pod's image is InvalidImageName, as api.
  const s = replay(
    together(
      'two',
      recorded('success-rolling-update-of-3-replicas-to-the-built-digest'),
      renamed(recorded('image-pull-invalidimagename-ends-the-wait-at-once'), 'web', 'api', 1)
    )
  )
  const pb = await play(s, { quiet: true })
  try {
    const run = await runAction(
      {
        workload: 'deployment/web, deployment/api',
        namespace: NS,
        'expected-digest': `${REPO}@${NEW_DIGEST}`,
        manifests: 'app.yaml',
        timeout: '20s',
        kubeconfig: kubeconfigYaml(pb.server)
      },
      { env: { GITHUB_WORKSPACE: ws } }
    )
    expect(run.outputs.verdict).toBe('image-pull')
    const located = annotations(run.stdout).filter(l => l.includes('file=app.yaml'))
    expect(located.length).toBeGreaterThan(0)
    for (const l of located) expect(l).toContain(`line=${lineOf(yaml, 'image:', 2)}`)
  } finally {
    await pb.stop()
  }
})
