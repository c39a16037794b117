// The decision table on snapshots of stories the real control plane recorded (testcluster/timeline/recorded/), as
// the production reader reads them from the stand-in; where a test needs a fact no recording holds, it edits the
// recorded objects (test data, not a controller).
import { decide } from '../../src/verdict/decide.js'
import { readSettings } from '../../src/inputs.js'
import type { DigestSource } from '../../src/inputs.js'
import { BUILD_NS, NS } from '../../testcluster/stories/stand-in.js'
import { NEW_DIGEST, OLD_DIGEST, REPO, V2, kaniko } from '../../testcluster/stories/images.js'
import { newWorld, snapshotOf } from '../../testcluster/snapshot.js'
import type { KObject } from '../../testcluster/shared/object.js'
import {
  firstPod,
  recorded,
  renamed,
  together,
  until,
  withWaiting,
  worldAt
} from '../../testcluster/timeline/edit.js'
import { mapStrings } from '../../testcluster/timeline/timeline.js'
import type { ContainerStatus, World } from '../../testcluster/world.js'

// Recorded on the real control plane: web rolls out 1.4.2 (3 replicas); web's pod still runs 1.4.1's digest.
const ROLLS_OUT = recorded('success-rolling-update-of-3-replicas-to-the-built-digest')
const STALE = recorded('stale-the-pods-run-another-digest-than-was-built')
// build-42 fails without pushing; the seeds' build pushes at 6.3 s, the new pod waits for a node until 8 s.
const BUILD_FAILS = recorded('build-failed-the-build-pod-exits-without-a-pushed-line')
const SEEDS = recorded('success-the-seeds-timeline-build-pushes-at-90-s-autoscaler-a')

/** The workload's one pod (the stale story ends with one), to edit as the kubelet would report it. */
function onlyPod(w: World): KObject & { status: { containerStatuses?: ContainerStatus[] } } {
  const pods = w.store.list('pods', NS).map(p => structuredClone(p))
  expect(pods).toHaveLength(1)
  return pods[0] as KObject & { status: { containerStatuses?: ContainerStatus[] } }
}

const expected: DigestSource = { kind: 'input', refs: [{ digest: NEW_DIGEST, repository: REPO }] }
const opts = { digest: expected }

test('complete and matching: success, final', async () => {
  const d = decide(await snapshotOf(worldAt(ROLLS_OUT)), opts)
  expect(d).toMatchObject({ verdict: 'success', finality: 'final' })
  expect(d.running.map(r => r.match)).toEqual(['match', 'match', 'match'])
})

test('old pods still serving mid-rollout are not stale', async () => {
  // At 0.3 s the first new pod is Ready and the old ones still serve.
  const d = decide(await snapshotOf(worldAt(ROLLS_OUT, 0.3)), opts)
  expect(d.verdict).toBe('progressing')
  expect(d.running.every(r => r.match !== 'mismatch')).toBe(true)
})

test('complete but running another digest: stale, after the grace', async () => {
  const w = worldAt(STALE)
  expect(decide(await snapshotOf(w), opts)).toMatchObject({ verdict: 'stale', finality: 'after-grace' })
})

test('an injected sidecar does not decide the digest comparison', async () => {
  const w = worldAt(STALE)
  const p = onlyPod(w)
  p.status.containerStatuses!.push({
    name: 'istio-proxy',
    image: 'docker.io/istio/proxyv2:1.22.0',
    imageID: `docker.io/istio/proxyv2@${OLD_DIGEST}`,
    ready: true,
    restartCount: 0,
    state: { running: { startedAt: '' } },
    lastState: {}
  })
  w.store.put(p)
  const d = decide(await snapshotOf(w), { digest: { kind: 'input', refs: [{ digest: OLD_DIGEST }] } })
  expect(d.verdict).toBe('success')
  expect(d.running.map(r => r.container)).toEqual(['web'])
})

test('a config digest in imageID is unverifiable, not a mismatch', async () => {
  const w = worldAt(STALE)
  const p = onlyPod(w)
  p.status.containerStatuses![0]!.imageID = `docker://${OLD_DIGEST}`
  w.store.put(p)
  const d = decide(await snapshotOf(w), opts)
  expect(d.verdict).toBe('success')
  expect(d.reason).toMatch(/unverifiable/)
  expect(d.running[0]!.match).toBe('unverifiable')
})

test('no digest source: judged, and said to be unverified', async () => {
  expect(decide(await snapshotOf(worldAt(STALE))).reason).toMatch(/image not verified/)
})

test('build running: never a failure, never a success with old pods', async () => {
  // At 0.5 s build-42 runs and web still serves 1.4.1.
  const w = worldAt(BUILD_FAILS, 0.5)
  const d = decide(await snapshotOf(w, 'web', { name: 'build-42', namespace: BUILD_NS }), {
    digest: { kind: 'build-pod', namespace: BUILD_NS, name: 'build-42' }
  })
  expect(d).toMatchObject({ verdict: 'progressing', finality: 'at-deadline', buildRunning: true })
})

test('build pushed: the digest comes from its log', async () => {
  // The seeds' story: the Job's pod build-42-bbbbd pushed, then the deploy.
  const w = worldAt(SEEDS)
  const d = decide(await snapshotOf(w, 'web', { name: 'build-42-bbbbd', namespace: BUILD_NS }), {
    digest: { kind: 'build-pod', namespace: BUILD_NS, name: 'build-42-bbbbd' }
  })
  expect(d.built).toEqual({
    digest: NEW_DIGEST,
    repository: REPO,
    source: 'build-pod',
    from: 'ci/build-42-bbbbd'
  })
})

test('build ended without a digest: build-failed with the error lines', async () => {
  const d = decide(await snapshotOf(worldAt(BUILD_FAILS), 'web', { name: 'build-42', namespace: BUILD_NS }), {
    digest: { kind: 'build-pod', namespace: BUILD_NS, name: 'build-42' }
  })
  expect(d).toMatchObject({ verdict: 'build-failed', finality: 'final' })
  expect(d.reason).toMatch(/error building image: error building stage: failed to execute command/)
})

test('a build that exits 0 without pushing (--no-push) is build-failed too', async () => {
  // The recorded build while it runs; then its container exits 0 having pushed nothing.
  const w = worldAt(BUILD_FAILS, 0.5)
  w.buildEnds('build-42', BUILD_NS, 0)
  const d = decide(await snapshotOf(w, 'web', { name: 'build-42', namespace: BUILD_NS }), {
    digest: { kind: 'build-pod', namespace: BUILD_NS, name: 'build-42' }
  })
  expect(d.verdict).toBe('build-failed')
})

test('a digest in the termination message counts as pushed', async () => {
  // The recorded build while it runs; then its container exits 0, the digest in its termination message.
  const w = worldAt(BUILD_FAILS, 0.5)
  w.buildEnds('build-42', BUILD_NS, 0, NEW_DIGEST)
  const d = decide(await snapshotOf(w, 'web', { name: 'build-42', namespace: BUILD_NS }), {
    digest: { kind: 'build-pod', namespace: BUILD_NS, name: 'build-42' }
  })
  expect(d.built?.digest).toBe(NEW_DIGEST)
})

test('scheduling with a scale-up on the way says capacity is coming, and keeps waiting', async () => {
  // The seeds' story at 7 s: the new pod fits no node and the autoscaler has triggered a scale-up.
  const d1 = decide(await snapshotOf(worldAt(SEEDS, 7)), opts)
  expect(d1).toMatchObject({ verdict: 'scheduling', finality: 'at-deadline' })
  expect(d1.reason).toMatch(/Insufficient memory on 3\/4 nodes/)
})

test('several problems: the most specific one names the verdict', async () => {
  // The recorded config-error story, its new pod missing a key of the Secret (the kubelet's words for that), and
  // beside it a second new pod no node takes, with the status the scheduler gave the recorded memory story's pod.
  const CONFIG = recorded('config-error-createcontainerconfigerror-for-a-missing-secret')
  const MEMORY = recorded('scheduling-the-new-pods-ask-for-more-memory-than-any-node-ha')
  const waits = firstPod(CONFIG, V2).name
  const w = worldAt(
    withWaiting(
      CONFIG,
      waits,
      'CreateContainerConfigError',
      "couldn't find key password in Secret shop/db-creds"
    )
  )
  const pod = w.pod(waits, NS)
  const { nodeName: _, ...spec } = pod.spec
  const { uid: _uid, ...metadata } = pod.metadata
  w.store.put({
    ...pod,
    metadata: { ...metadata, name: waits.replace(/-\w{5}$/, '-bbbbz') },
    spec,
    status: worldAt(MEMORY).pod(firstPod(MEMORY, V2).name, NS).status
  } as KObject)
  const d = decide(await snapshotOf(w), opts)
  expect(d.findings.map(f => f.verdict).sort()).toEqual(['config-error', 'scheduling'])
  expect(d.verdict).toBe('config-error')
  expect(d.reason).toMatch(/key "password" is missing from Secret shop\/db-creds/)
})

test('not-found waits out the grace', async () => {
  const w = newWorld()
  expect(decide(await snapshotOf(w, 'nope'), opts)).toMatchObject({
    verdict: 'not-found',
    finality: 'after-grace'
  })
})

test('a paused Deployment says so while waiting', async () => {
  // The recorded rolling update before its deploy (web 1.4.1 rolled out), then paused and given 1.4.2.
  const w = worldAt(ROLLS_OUT, -0.1)
  const dep = w.get('Deployment', NS, 'web')
  ;(dep.spec as { paused: boolean }).paused = true
  ;(
    dep.spec as { template: { spec: { containers: { image: string }[] } } }
  ).template.spec.containers[0]!.image = `${REPO}:1.4.2`
  const put = w.store.put(dep)
  // The controller observes the new template but, paused, updates no replica.
  put.status = { ...(put.status as object), observedGeneration: put.metadata.generation, updatedReplicas: 0 }
  w.store.put(put)
  const d = decide(await snapshotOf(w), opts)
  expect(d.verdict).toBe('progressing')
  expect(d.waitingFor).toMatch(/paused .*kubectl rollout resume deployment\/web -n shop/)
})

describe('container=digest pairs: several built images in one pod', () => {
  // Recorded on the real control plane: web and worker (registry.example.com/shop/web-worker) roll out 1.4.2, each
  // its own build's digest; the story's expected-digest names both.
  const TWO = recorded('success-two-built-images-in-one-pod-each-checked-container-d')
  const twoContainers = () => worldAt(TWO)
  test('each container is compared with its own digest', async () => {
    expect(TWO.inputs['expected-digest']).toMatch(
      new RegExp(`^web=${NEW_DIGEST},worker=registry\\.example\\.com/shop/web-worker@sha256:[0-9a-f]{64}$`)
    )
    const d = decide(await snapshotOf(twoContainers()), {
      digest: readSettings(n => ({ ...TWO.inputs, workload: 'deployment/web' })[n] ?? '').digest!
    })
    expect(d.verdict).toBe('success')
    expect(d.running.map(r => [r.container, r.match])).toEqual([
      ['web', 'match'],
      ['worker', 'match']
    ])
  })
  test('one container behind is stale, and says which', async () => {
    const d = decide(await snapshotOf(twoContainers()), {
      digest: readSettings(
        n =>
          ({ workload: 'deployment/web', 'expected-digest': `web=${NEW_DIGEST}\nworker=${NEW_DIGEST}` })[n] ??
          ''
      ).digest!
    })
    expect(d.verdict).toBe('stale')
    expect(d.reason).toMatch(/in worker, not the built sha256:d1864540c443/)
  })
  test('a bad pair names the input', async () => {
    expect(() =>
      readSettings(
        n =>
          ({ workload: 'deployment/web', 'expected-digest': `web=${NEW_DIGEST},Worker=${NEW_DIGEST}` })[n] ??
          ''
      )
    ).toThrow(/^Input 'expected-digest' has "Worker=/)
  })
})

describe('pods their controller replaces are not the rollout failing', () => {
  test('one evicted new pod while its replacement comes: no finding, still waiting', async () => {
    // At 0.6 s the first new pod is Evicted and its replacement runs, not Ready yet.
    const d = decide(
      await snapshotOf(
        worldAt(recorded('success-a-new-pod-evicted-for-node-memory-pressure-is-replac'), 0.6)
      ),
      opts
    )
    expect(d.verdict).not.toBe('crash-loop')
    expect(d.finality).not.toBe('final')
    expect(d.findings.map(f => f.message).join('\n')).not.toMatch(/Evicted|pod failed/)
  })

  test('replacements that keep being evicted: crash-loop at once, with the cause', async () => {
    const w = worldAt(recorded('crash-loop-every-replacement-is-evicted-for-memory-pressure'))
    const d = decide(await snapshotOf(w), opts)
    expect(d).toMatchObject({ verdict: 'crash-loop', finality: 'final' })
    expect(d.reason).toMatch(
      /^new pods: 3 evicted for memory pressure on node general-pool-bbbbc: the replacements keep/
    )
    expect(d.findings[0]).toMatchObject({
      cause: 'replaced',
      facts: { reason: 'Evicted', pods: 3, resource: 'memory' }
    })
  })
})

test('waiting words: never "0 of 3 new pods Ready"', async () => {
  const { newPodsReady } = await import('../../src/verdict/words.js')
  expect(newPodsReady(0, 1)).toBe('the new pod to become Ready')
  expect(newPodsReady(0, 3)).toBe('3 new pods to become Ready')
  expect(newPodsReady(2, 3)).toBe('2 of 3 new pods Ready')
  // At 0.1 s the first new pod is scheduled and not Ready yet.
  const d = decide(await snapshotOf(worldAt(ROLLS_OUT, 0.1)), opts)
  expect(d.reason).not.toMatch(/\b0 of \d+ new pods Ready/)
})

test('the timeline calls a mismatch within grace what it mostly is: old pods before the deploy lands', async () => {
  const { describeChanges } = await import('../../src/timeline.js')
  const d = decide(await snapshotOf(worldAt(STALE)), opts)
  expect(d.finality).toBe('after-grace')
  const rows = describeChanges(undefined, d).join('\n')
  expect(rows).toMatch(/still runs sha256:[0-9a-f]{12} \(not the built image yet; waiting for the new pods\)/)
  expect(rows).not.toMatch(/, not the built/)
})

describe("a build that has not pushed yet: the new pod's pull failure is what it waits for", () => {
  const notFound = (image: string): string =>
    `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`
  const denied = (image: string): string =>
    `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`

  // Recorded on the real control plane: web is deployed at 1.5.0-0 while the Job's pod build-42-bbbbd, which will
  // push that tag, still builds; at 0.3 s the new pod's pull has failed (ErrImagePull, not found).
  const WAITS = recorded('timeout-the-build-still-runs-at-the-deadline-the-new-pod-wai')
  const NEXT = `${REPO}:1.5.0-0`
  const BUILD = 'build-42-bbbbd'
  const buildPod = { digest: { kind: 'build-pod', namespace: BUILD_NS, name: BUILD } as DigestSource }
  /**
   * The story at 0.3 s (at 1.3 s the kubelet backs off: ImagePullBackOff); `desc`: the registry's answer to the
   * pull in the kubelet's words, in place of not found.
   */
  const pullFails = (desc: (i: string) => string = notFound, at = 0.3): World =>
    worldAt(desc === notFound ? WAITS : mapStrings(WAITS, v => v.replaceAll(notFound(NEXT), desc(NEXT))), at)
  const read = (w: World) => snapshotOf(w, 'web', { name: BUILD, namespace: BUILD_NS })
  const readWaits = () => read(pullFails())
  /** The build pod's spec says another destination, or none that can be read (a person's spec). */
  const destination = (w: World, arg: string): void => {
    const b = w.pod(BUILD, BUILD_NS)
    b.spec.containers[0]!.args = ['--context=dir:///workspace', arg]
    w.store.put(b)
  }
  /** Kaniko pushes the built image and its container ends, finished at `finishedAt`. */
  const push = (w: World, finishedAt: string): void => {
    w.buildLog(
      BUILD,
      BUILD_NS,
      kaniko(85, `Pushing image to ${NEXT}`),
      kaniko(90, `Pushed ${REPO}@${NEW_DIGEST}`)
    )
    w.buildEnds(BUILD, BUILD_NS, 0)
    const b = w.pod(BUILD, BUILD_NS)
    b.status.containerStatuses![0]!.state!.terminated!.finishedAt = finishedAt
    w.store.put(b)
  }

  test('the tag the build will push: waiting for the build, timeout at the deadline naming it', async () => {
    const d = decide(await readWaits(), buildPod)
    expect(d).toMatchObject({ verdict: 'progressing', finality: 'at-deadline', buildRunning: true })
    expect(d.waitingFor).toBe(
      `the build pod ci/${BUILD} to push ${NEXT} (the new pod cannot pull it until then)`
    )
    expect(d.findings).toHaveLength(1)
    expect(d.findings[0]).toMatchObject({
      cause: 'awaiting-build',
      verdict: 'timeout',
      container: 'web',
      facts: { image: NEXT, state: 'running', build: { namespace: BUILD_NS, pod: BUILD } }
    })
    expect(d.findings.some(f => f.verdict === 'image-pull')).toBe(false)
  })

  test('at the deadline the wait says timeout and names the build, not image-pull', async () => {
    const { waitForVerdict } = await import('../../src/wait.js')
    const snap = await readWaits()
    let t = 0
    const o = await waitForVerdict({
      now: () => t,
      sleep: async ms => void (t += Math.max(1, ms)),
      timeoutMs: 25_000,
      graceMs: 6_000,
      read: async () => snap,
      decide: s => decide(s, buildPod)
    })
    expect(o.verdict).toBe('timeout')
    expect(o.reason).toBe(
      `deadline of 25s passed while still waiting for the build pod ci/${BUILD} to push ${NEXT} (the new pod cannot pull it until then)`
    )
  })

  test("a repository refusing the pull counts too while the build runs: it may not exist before the build's first push", async () => {
    expect(decide(await read(pullFails(denied)), buildPod)).toMatchObject({ verdict: 'progressing' })
  })

  test('another repository, or another tag, stays image-pull', async () => {
    // The build pushes elsewhere than the pod pulls from: the build pod's destination changed.
    for (const pushes of [
      `${REPO}-worker:1.5.0-0`,
      `${REPO}:1.5.0-1`,
      `mirror.example.com/shop/web:1.5.0-0`
    ]) {
      const w = pullFails()
      destination(w, `--destination=${pushes}`)
      const d = decide(await read(w), buildPod)
      expect({ pushes, verdict: d.verdict, finality: d.finality }).toEqual({
        pushes,
        verdict: 'image-pull',
        finality: 'at-deadline'
      })
      expect(d.reason).toMatch(/the image or tag does not exist in the registry/)
    }
  })

  test('InvalidImageName still ends the wait at once', async () => {
    // The recorded InvalidImageName story, with the recorded build of WAITS running beside it in ci.
    const build = renamed(until(WAITS, 0.3), 'web', 'web', 1)
    const inCi = <T extends { namespace?: string }>(x: T): boolean => x.namespace === BUILD_NS
    const w = worldAt(
      together(
        'invalid name while the build runs',
        recorded('image-pull-invalidimagename-ends-the-wait-at-once'),
        { ...build, entries: build.entries.filter(e => inCi(e.obj.metadata)), logs: build.logs.filter(inCi) }
      )
    )
    expect(w.pod(BUILD, BUILD_NS).status.phase).toBe('Running')
    expect(decide(await read(w), buildPod)).toMatchObject({ verdict: 'image-pull', finality: 'final' })
  })

  test('a destination the pod spec does not say: a missing tag waits, a refusal does not', async () => {
    const missing = pullFails()
    destination(missing, '--destination=$(IMAGE)')
    expect(decide(await read(missing), buildPod)).toMatchObject({ verdict: 'progressing' })
    const refused = pullFails(denied)
    destination(refused, '--destination=$(IMAGE)')
    expect(decide(await read(refused), buildPod)).toMatchObject({ verdict: 'image-pull' })
  })

  test('pushed after the last failed pull: waiting for the kubelet to pull again', async () => {
    const w = pullFails()
    push(w, new Date(Date.now() + 5000).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    const d = decide(await read(w), buildPod)
    expect(d).toMatchObject({ verdict: 'progressing', finality: 'at-deadline' })
    expect(d.built?.digest).toBe(NEW_DIGEST)
    expect(d.waitingFor).toMatch(/^the kubelet to pull registry\.example\.com\/shop\/web:1\.5\.0-0 again/)
    expect(d.findings[0]).toMatchObject({ cause: 'awaiting-build', facts: { state: 'pushed' } })
  })

  test('a pull that still fails after the push is image-pull', async () => {
    const w = pullFails(denied, 1.3)
    push(w, '2026-01-01T00:00:00Z')
    const d = decide(await read(w), buildPod)
    expect(d).toMatchObject({ verdict: 'image-pull', finality: 'at-deadline' })
    expect(d.reason).toMatch(/the repository does not exist or needs credentials/)
  })

  test('with expected-digest (no build pod) a missing tag is image-pull, as before', async () => {
    expect(decide(await readWaits(), opts)).toMatchObject({ verdict: 'image-pull' })
  })
})

test('scaled to zero: success, and the words say nothing ran and the image was not verified', async () => {
  const w = worldAt(recorded('success-a-deployment-scaled-to-zero-rolls-out-but-nothing-ra'))
  const d = decide(await snapshotOf(w), opts)
  expect(d).toMatchObject({ verdict: 'success', finality: 'final', nothingRan: true, running: [] })
  expect(d.reason).toBe(
    `deployment/web has 0 desired pods: nothing ran, so the built ${NEW_DIGEST.slice(0, 19)} was not verified`
  )
  expect(d.reason).not.toMatch(/Ready|running the built/)
  // Without a digest source the same: nothing ran.
  expect(decide(await snapshotOf(w)).reason).toBe(
    'deployment/web has 0 desired pods: nothing ran, so the image was not verified'
  )
})

describe('a container the kubelet kills for its liveness probe', () => {
  // Recorded on the real control plane: the new pod's health endpoint fails; the kubelet kills its container at
  // the probe's failure threshold three times (Unhealthy and Killing events, exit 137) and backs off.
  const KILLED = recorded('crash-loop-the-kubelet-kills-the-container-for-its-liveness')
  const killedThrice = () => snapshotOf(worldAt(KILLED))

  test('the reason names the liveness probe and its message, not only the exit code', async () => {
    const d = decide(await killedThrice(), opts)
    expect(d).toMatchObject({ verdict: 'crash-loop', finality: 'final' })
    expect(d.reason).toMatch(
      /container web is in CrashLoopBackOff after 3 restarts: the kubelet killed it because its liveness probe failed \(Liveness probe failed: HTTP probe failed with statuscode: 500\); last exit: Error \(exit 137\)$/
    )
    expect(d.findings[0]).toMatchObject({
      cause: 'crash',
      facts: {
        exitCode: 137,
        killedBy: {
          probe: 'Liveness',
          failure: 'Liveness probe failed: HTTP probe failed with statuscode: 500'
        }
      }
    })
  })

  test('a run that ended by itself after an earlier kill is not called killed', async () => {
    // The recorded kills, but the last run exited 1 on its own (as the kubelet reports an exit it did not cause).
    const w = worldAt(KILLED)
    const pod = w.pod(firstPod(KILLED, V2).name, NS)
    const last = pod.status.containerStatuses![0]!.lastState!.terminated!
    expect(last.exitCode).toBe(137)
    last.exitCode = 1
    w.store.put(pod)
    const snap = await snapshotOf(w)
    // The kill was seen a minute before the last run started: that run exited 1 on its own.
    for (const e of snap.events)
      if (e.reason === 'Killing') e.lastTimestamp = e.firstTimestamp = '2000-01-01T00:00:00Z'
    const d = decide(snap, opts)
    expect(d.verdict).toBe('crash-loop')
    expect(d.reason).toMatch(/last exit: Error \(exit 1\)$/)
    expect(d.reason).not.toMatch(/liveness/)
    expect(d.findings[0]).not.toHaveProperty('facts.killedBy')
  })

  test('a kill the events read last do not hold yet: a run that too ended by a signal is still named', async () => {
    const snap = await killedThrice()
    for (const e of snap.events)
      if (e.reason === 'Killing') e.lastTimestamp = e.firstTimestamp = '2000-01-01T00:00:00Z'
    expect(decide(snap, opts).reason).toMatch(/the kubelet killed it because its liveness probe failed/)
  })
})

test('a manifest that pins an old digest: stale, saying the template pins it and the reference must change', async () => {
  const w = worldAt(recorded('stale-the-manifest-pins-the-old-digest-image-repo-sha256-so'))
  const d = decide(await snapshotOf(w), opts)
  expect(d).toMatchObject({ verdict: 'stale', finality: 'after-grace' })
  expect(d.reason).toBe(
    `1/1 new pods of deployment/web run ${OLD_DIGEST.slice(0, 19)}, not the built ${NEW_DIGEST.slice(0, 19)}: its pod template pins ${REPO}@${OLD_DIGEST.slice(0, 19)} (container web), so a redeploy runs the same digest; the image reference must change to the built digest`
  )
  expect(d.findings[0]).toMatchObject({
    cause: 'digest-mismatch',
    facts: { running: OLD_DIGEST, built: NEW_DIGEST, pinned: `${REPO}@${OLD_DIGEST}` }
  })
  // A tag that now names another image is the rollout not picking it up, as before.
  expect(decide(await snapshotOf(worldAt(STALE)), opts).reason).toMatch(
    /the rollout did not pick up the new image$/
  )
})
