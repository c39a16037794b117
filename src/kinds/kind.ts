// What kube-verdict knows of one workload kind, in one place: a descriptor per kind (src/kinds/<kind>.ts), read
// by the inputs, the reader, the decision, the manifests and the next step. Adding a kind is one module, one
// registry line and its name in src/refs.ts.
import type { Condition, Container, Pod, ReplicaSet, WorkloadObject } from '../kube/types.js'
import type { PodLookup } from '../kube/pod-lookup.js'
import type { Resource } from '../refs.js'
import type { Observed } from '../verdict/types.js'

/** The counts every kind reports, and the pods of its new revision (not terminating). */
export interface Progress {
  newPods: Pod[]
  desired: number
  updated: number
  ready: number
  available: number
  /** Problems the kind's controller reports besides the pods' own (a ReplicaSet that cannot create pods). */
  findings?: Observed[]
}

/** Where a rollout stands, by its kind's rule. */
export type RolloutState = Progress &
  (
    | { phase: 'complete' }
    | { phase: 'progressing'; waitingFor: string }
    /** Paused or suspended by someone: it will not go on until resumed; says how. */
    | { phase: 'paused'; waitingFor: string }
    /**
     * The controller gave up (a failed Job, a Degraded Rollout); `verdict` when no pod says more. `finding`: what
     * it said as a finding of its own (the image Knative could not fetch, for that container's image line), in
     * place of the generic controller finding.
     */
    | {
        phase: 'failed'
        reason: string
        verdict: 'crash-loop' | 'image-pull' | 'config-error' | 'unhealthy'
        finding?: Observed
      }
    /** It will not go on by itself (StatefulSet OnDelete): the finding says what to do; stale after the grace. */
    | { phase: 'stuck'; finding: Observed; waitingFor: string }
    /** The controller's own progress deadline passed. */
    | { phase: 'deadline'; message: string; waitingFor: string }
  )

export interface RuleInput<O> {
  object: O
  pods: Pod[]
  replicaSets: ReplicaSet[]
  /** `deployment/web`: how the workload is named in words. */
  label: string
  namespace: string
}

/** One workload as commands name it. */
export interface Target {
  name: string
  /** `deployment/web`. */
  label: string
  namespace: string
}

export interface Kind<O extends WorkloadObject = WorkloadObject> {
  /** The word before the slash in `deployment/web`. */
  noun: string
  /** The kind in a sentence: `Deployment`, `Knative Service`. */
  title: string
  /** What the workload input accepts for it, lowercase (`deploy`, `deployments.apps`). */
  aliases: readonly string[]
  /** Where the API serves it; none: there is no object (pods found by a selector). */
  resource?: Resource
  /** How the applied YAML names it: apiVersion's group and kind. */
  manifest?: { group: string; kind: string }
  /** The shared observed-generation check, as kstatus runs it: required, only where the field is set, or none. */
  generation: 'required' | 'if-present' | 'none'
  /**
   * Its controller reports no generation of its own, so a Ready status read right after an apply may still be the
   * previous spec's: success that the built digest does not confirm is final only once it has held for `grace`.
   */
  readyMayBePrevious?: true
  /** Who observes the generation, in `waiting for the … to observe generation 3`. */
  controller: string
  pods: PodLookup<O>
  /** The containers the workload defines (injected sidecars are not among them). */
  containers: (o: O) => Container[]
  /** Its rollout rule; the shared checks (deletion, generation, standard conditions) have passed. */
  rule: (i: RuleInput<O>) => RolloutState
  /** Why it is not-found, when the kind says it otherwise than `deployment/web does not exist in namespace shop`. */
  absent?: (t: Target) => string
  /** Commands for the next step, where the kind has them. */
  commands?: {
    /** Replaces the pods so they pull the image again. */
    restart?: (t: Target) => string
    /** Shows why the controller gave up. */
    inspect?: (t: Target) => string
    /** Changes one container's image reference in the template (a new revision rolls out). */
    setImage?: (t: Target, container: string, image: string) => string
  }
}

export function condition(
  status: { conditions?: Condition[] } | undefined,
  type: string
): Condition | undefined {
  return (status?.conditions ?? []).find(c => c.type === type)
}

export function isTrue(status: { conditions?: Condition[] } | undefined, type: string): boolean {
  return condition(status, type)?.status === 'True'
}

export function live(pods: Pod[]): Pod[] {
  return pods.filter(p => !p.metadata.deletionTimestamp)
}

export function templateContainers(o: {
  spec?: { template?: { spec?: { containers?: Container[] } } }
}): Container[] {
  return o.spec?.template?.spec?.containers ?? []
}
