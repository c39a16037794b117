import {
  parseFailedScheduling,
  parseNotTriggerScaleUp,
  parseTriggeredScaleUp
} from '../../src/verdict/scheduling.js'

// Messages as kube-scheduler printed them across versions.
describe('parseFailedScheduling', () => {
  test('resources, with the preemption suffix (1.24+) that is not a reason', () => {
    const f = parseFailedScheduling(
      '0/5 nodes are available: 5 Insufficient memory. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.'
    )
    expect(f).toEqual({
      available: 0,
      total: 5,
      reasons: [{ cause: 'resources', detail: 'memory', text: 'Insufficient memory', nodes: 5 }]
    })
  })
  test('mixed reasons with the 1.25+ taint wording', () => {
    const f = parseFailedScheduling(
      "0/6 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 1 Preemption is not helpful for scheduling, 5 No preemption victims found for incoming pod."
    )
    expect(f.reasons.map(r => [r.cause, r.nodes, r.detail])).toEqual([
      ['taint', 1, 'node-role.kubernetes.io/control-plane'],
      ['resources', 2, 'cpu'],
      ['node-affinity', 3, undefined]
    ])
  })
  test("the old taint wording: had taint {k: v}, that the pod didn't tolerate", () => {
    const f = parseFailedScheduling(
      "0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 Insufficient memory."
    )
    expect(f.reasons.map(r => [r.cause, r.nodes, r.detail])).toEqual([
      ['taint', 1, 'node-role.kubernetes.io/master'],
      ['resources', 2, 'memory']
    ])
  })
  test('the aggregated taint wording (1.30+): had untolerated taint(s)', () => {
    expect(
      parseFailedScheduling(
        '0/3 nodes are available: 3 node(s) had untolerated taint(s). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.'
      ).reasons[0]
    ).toMatchObject({ cause: 'taint', nodes: 3 })
  })
  // Read off the real kube-scheduler v1.36.3 under __tests__/real.
  test('1.36: the DRA note `no new claims to deallocate` is not a reason', () => {
    const f = parseFailedScheduling(
      "0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
    )
    expect(f.reasons).toEqual([
      { cause: 'taint', text: 'node(s) had untolerated taint(s)', nodes: 1 },
      { cause: 'node-affinity', text: "node(s) didn't match Pod's node affinity/selector", nodes: 3 }
    ])
    expect(
      parseFailedScheduling(
        '0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient memory. no new claims to deallocate, preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.'
      ).reasons.map(r => [r.cause, r.nodes, r.detail])
    ).toEqual([
      ['taint', 1, undefined],
      ['resources', 3, 'memory']
    ])
  })
  test("1.36: a DaemonSet pod's other nodes fail the NodeAffinity PreFilter by plugin name", () => {
    expect(
      parseFailedScheduling(
        "0/4 nodes are available: 1 Insufficient memory, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling."
      ).reasons.map(r => [r.cause, r.nodes])
    ).toEqual([
      ['resources', 1],
      ['node-affinity', 3]
    ])
  })
  test('1.36: an unbound claim is followed by `not found`, and no preemption part', () => {
    expect(
      parseFailedScheduling(
        '0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims. not found'
      ).reasons
    ).toEqual([{ cause: 'volume', text: 'pod has unbound immediate PersistentVolumeClaims', nodes: 4 }])
  })
  test("1.20's didn't match node selector", () => {
    expect(
      parseFailedScheduling("0/3 nodes are available: 3 node(s) didn't match node selector.").reasons[0]
    ).toMatchObject({ cause: 'node-affinity', nodes: 3 })
  })
  test('volumes: node affinity conflict, unbound claims without a count', () => {
    expect(
      parseFailedScheduling('0/3 nodes are available: 3 node(s) had volume node affinity conflict.')
        .reasons[0]!.cause
    ).toBe('volume')
    const f = parseFailedScheduling(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.'
    )
    expect(f.reasons).toEqual([
      { cause: 'volume', text: 'pod has unbound immediate PersistentVolumeClaims', nodes: 3 }
    ])
  })
  test('pod anti-affinity, ports, too many pods, cordoned nodes', () => {
    const f = parseFailedScheduling(
      "0/4 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 1 node(s) didn't have free ports for the requested pod ports, 1 Too many pods, 1 node(s) were unschedulable."
    )
    expect(f.reasons.map(r => r.cause)).toEqual(['pod-affinity', 'ports', 'resources', 'node-unschedulable'])
  })
  test('extended resources', () => {
    expect(
      parseFailedScheduling('0/2 nodes are available: 2 Insufficient nvidia.com/gpu.').reasons[0]
    ).toMatchObject({ cause: 'resources', detail: 'nvidia.com/gpu' })
  })
  test('no nodes at all', () => {
    expect(parseFailedScheduling('no nodes available to schedule pods').reasons[0]!.cause).toBe('no-nodes')
  })
})

describe('cluster-autoscaler', () => {
  test('TriggeredScaleUp', () =>
    expect(parseTriggeredScaleUp('pod triggered scale-up: [{eks-general-2 3->4 (max: 10)}]')).toEqual([
      'eks-general-2 3→4 (max 10)'
    ]))
  test('NotTriggerScaleUp, both wordings', () => {
    expect(
      parseNotTriggerScaleUp(
        "pod didn't trigger scale-up: 1 max node group size reached, 2 Insufficient memory"
      )
    ).toBe('1 max node group size reached, 2 Insufficient memory')
    expect(
      parseNotTriggerScaleUp(
        "pod didn't trigger scale-up (it wouldn't fit if a new node is added): 1 Insufficient memory"
      )
    ).toBe("it wouldn't fit if a new node is added: 1 Insufficient memory")
  })
})
