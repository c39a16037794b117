// Fidelity: the real kubectl of these machines reads the test cluster as it reads a real one.
import { execFile, execFileSync } from 'node:child_process'
import { tempDir } from '../testcluster/tmp.js'
import { writeKubeconfig } from '../testcluster/kubeconfig.js'
import { play, type Playback, BUILD_NS, NS } from '../testcluster/stories/stand-in.js'
import { SEEDS, recordedTimeline, seedsStory } from '../testcluster/stories/recorded.js'
import { NEW_DIGEST, REPO } from '../testcluster/stories/images.js'
import { firstPod } from '../testcluster/timeline/edit.js'

try {
  execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' })
} catch {
  throw new Error(
    'kubectl is not on PATH: the fidelity test needs the real kubectl (these machines have it; apt or the Kubernetes release binaries elsewhere)'
  )
}

const home = tempDir('kv-kubectl-home-')

function kubectl(kubeconfig: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise(resolve => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { env: { PATH: process.env.PATH, HOME: home }, timeout: 60_000 },
      (e, out, err) => resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err })
    )
  })
}

// The real control plane's recording of the seeds' story, in about 5 s: the new pod appears at story-second 6.3.
const SCALE = 0.5
const NEW_POD = firstPod(recordedTimeline(SEEDS), `${REPO}:1.4.2`)

let pb: Playback
let kc: string
beforeAll(async () => {
  pb = await play(seedsStory(), { scale: SCALE, quiet: true })
  kc = writeKubeconfig(pb.server, { namespace: NS })
})
afterAll(() => pb.stop())

test('rollout status follows the rollout to completion', async () => {
  // Started before the deploy step: it first sees the old rollout complete, so wait for the new one.
  await new Promise(r => setTimeout(r, SCALE * (NEW_POD.at + 0.1) * 1000))
  const r = await kubectl(kc, 'rollout', 'status', 'deployment/web', '--timeout=30s')
  expect(r.err).toBe('')
  expect(r.out).toMatch(/Waiting for deployment "web" rollout to finish/)
  expect(r.out).toMatch(/deployment "web" successfully rolled out/)
  expect(r.code).toBe(0)
})

test('get with label and field selectors, and paging', async () => {
  await pb.done
  const r = await kubectl(
    kc,
    'get',
    'pods',
    '-l',
    'app=web',
    '--field-selector',
    'status.phase=Running',
    '--chunk-size=1',
    '-o',
    'name'
  )
  expect(r.code).toBe(0)
  expect(r.out.trim().split('\n')).toHaveLength(1)
  const ready = await kubectl(
    kc,
    'get',
    'deploy',
    'web',
    '-o',
    'jsonpath={.status.readyReplicas}/{.status.updatedReplicas}'
  )
  expect(ready.out).toBe('1/1')
  const all = await kubectl(kc, 'get', 'deploy,rs,po', '-A', '-o', 'name')
  expect(all.out).toMatch(/deployment.apps\/web/)
  expect(all.out).toMatch(/replicaset.apps\/web-/)
  expect(all.out).toMatch(/pod\/build-42/)
})

test('describe shows the Events of both shapes (scheduler, autoscaler, kubelet)', async () => {
  await pb.done
  const r = await kubectl(kc, 'describe', 'pod', NEW_POD.name)
  expect(r.code).toBe(0)
  expect(r.out).toMatch(/Events:/)
  expect(r.out).toMatch(
    /FailedScheduling\s+.*default-scheduler\s+0\/4 nodes are available: .*3 Insufficient memory/
  )
  expect(r.out).toMatch(/TriggeredScaleUp\s+.*cluster-autoscaler\s+pod triggered scale-up/)
  expect(r.out).toMatch(/Pulled\s+.*kubelet\s+Successfully pulled image/)
  expect(r.out).toMatch(new RegExp(`Image ID:\\s+registry.example.com/shop/web@${NEW_DIGEST}`))
})

test('logs with tail, as the seeds tell people to read the build pod', async () => {
  await pb.done
  const build = firstPod(recordedTimeline(SEEDS), 'gcr.io/kaniko-project/executor:v1.23.2').name
  const r = await kubectl(kc, 'logs', '-n', BUILD_NS, build)
  expect(r.out).toMatch(new RegExp(`Pushed registry.example.com/shop/web@${NEW_DIGEST}`))
  const tail = await kubectl(kc, 'logs', '-n', BUILD_NS, build, '--tail=1')
  expect(tail.out.trim().split('\n')).toHaveLength(1)
})

test('errors as the real API writes them: 404, 403, 401', async () => {
  const nf = await kubectl(kc, 'get', 'deploy', 'nope')
  expect(nf.err).toMatch(/Error from server \(NotFound\): deployments.apps "nope" not found/)
  const limited = pb.server.addToken({
    user: 'system:serviceaccount:ci:deployer',
    rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }]
  })
  const kcLimited = writeKubeconfig(pb.server, { namespace: NS, token: limited })
  const fb = await kubectl(kcLimited, 'get', 'pods')
  expect(fb.err).toMatch(
    /Error from server \(Forbidden\): pods is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in the namespace "shop"/
  )
  const kcBad = writeKubeconfig(pb.server, { namespace: NS, token: 'wrong' })
  const un = await kubectl(kcBad, 'get', 'pods')
  expect(un.err).toMatch(/Unauthorized/)
})
