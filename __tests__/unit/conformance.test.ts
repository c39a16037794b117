// Real objects from Argo CD's health tests (../shared/conformance): a Degraded object must never read as
// success, a Progressing one must never end the wait, a Healthy one must carry no error.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { decide } from '../../src/verdict/decide.js'
import { isPodReady } from '../../src/kube/pod.js'
import { diagnosePod } from '../../src/verdict/pods.js'
import { rolloutState } from '../../src/kinds/state.js'
import type { WorkloadRef } from '../../src/inputs.js'
import type { Deployment, Pod, WorkloadObject } from '../../src/kube/types.js'

// A copy lives in the repo (Apache-2.0, see its NOTICE) so the suite runs anywhere; where ../shared is beside
// the repo, the copy must still equal it.
const DIR = join(process.cwd(), '__tests__', 'fixtures', 'conformance', 'gitops-engine')
const SHARED = join(process.cwd(), '..', 'shared', 'conformance', 'gitops-engine')

test('the copy equals ../shared/conformance where that is present', () => {
  if (!existsSync(SHARED)) return
  for (const f of readdirSync(SHARED))
    expect([f, readFileSync(join(DIR, f), 'utf8')]).toEqual([f, readFileSync(join(SHARED, f), 'utf8')])
})

const expected = readFileSync(join(DIR, 'EXPECTED.tsv'), 'utf8')
  .trim()
  .split('\n')
  .map(l => l.split('\t') as [string, string])

const load = (f: string): { kind: string } & Record<string, unknown> =>
  parse(readFileSync(join(DIR, f), 'utf8'), { uniqueKeys: false })

test('every fixture is listed', () => {
  const listed = new Set(expected.map(([f]) => f))
  expect(
    readdirSync(DIR)
      .filter(f => f.endsWith('.yaml'))
      .filter(f => !listed.has(f))
  ).toEqual([])
})

describe.each(expected)('%s is %s', (file, health) => {
  const obj = load(file)
  if (obj.kind === 'Pod') {
    const pod = obj as unknown as Pod
    const d = diagnosePod(pod, [])
    const errors = d.findings.filter(f => f.severity === 'error')
    test('diagnosis', () => {
      if (health === 'Degraded') expect(errors.length).toBeGreaterThan(0)
      if (health === 'Healthy') {
        expect(errors).toEqual([])
        expect(isPodReady(pod) || pod.status?.phase === 'Succeeded').toBe(true)
      }
      if (health === 'Progressing') expect(d.final).toBe(false)
    })
    return
  }
  if (['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(obj.kind)) {
    const snap = {
      takenAt: '',
      workload: {
        kind: obj.kind as Exclude<WorkloadRef['kind'], 'Generic'>,
        namespace: 'x',
        name: (obj as unknown as Deployment).metadata.name
      },
      object: obj as unknown as WorkloadObject,
      replicaSets: [],
      pods: [],
      events: [],
      logs: {},
      unreadable: []
    }
    test('rollout state and decision', () => {
      const r = rolloutState(snap, snap.object)
      const d = decide(snap)
      if (health === 'Healthy') expect(r.phase).toBe('complete')
      if (health !== 'Healthy') expect(d.verdict).not.toBe('success')
      if (health === 'Progressing') expect(d.finality).toBe('at-deadline')
      if (health === 'Degraded') expect(d.finality).toBe('final')
      if (health === 'Suspended') expect(d.waitingFor).toMatch(/paused|suspended/)
    })
    return
  }
  throw new Error(`no conformance rule for kind ${obj.kind}`)
})
