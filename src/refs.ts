// How a step names a workload: plain data that every layer may import, so this file imports nothing. What each
// kind is (its descriptor) lives in src/kinds/; the registry there has one entry per WorkloadKind.

/** Where the API serves a kind: `/apis/{group}/{version}/namespaces/{ns}/{plural}`. */
export interface Resource {
  group: string
  version: string
  plural: string
}

/** The registered kinds: `Pods` are found by the `selector` input, `Generic` is any other kind by its conditions. */
export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'KnativeService'
  | 'Rollout'
  | 'InferenceService'
  | 'Pods'
  | 'Generic'

/** One workload of the step; `name` is the label selector for pods found by selector. */
export type WorkloadRef =
  | { kind: Exclude<WorkloadKind, 'Generic'>; name: string }
  | { kind: 'Generic'; name: string; resource: Resource }
