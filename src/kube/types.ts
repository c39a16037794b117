// The subset of Kubernetes objects kube-verdict reads, as plain JSON (what the API sends), so that
// snapshots serialize as they are and fixtures are real objects.
export interface ObjectMeta {
  name: string
  namespace?: string
  uid?: string
  generation?: number
  resourceVersion?: string
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[]
}

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown' | string
  reason?: string
  message?: string
  lastTransitionTime?: string
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: {
    key: string
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string
    values?: string[]
  }[]
}

export interface Container {
  name: string
  image?: string
  /** Read from a build pod only (what it will push); the caches drop them for workload pods. */
  command?: string[]
  args?: string[]
  env?: { name: string; value?: string }[]
  /** Kept for a soak: how long readiness may be lost before it counts (src/verdict/soak.ts). */
  readinessProbe?: { periodSeconds?: number }
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string> }
  spec?: { containers: Container[]; initContainers?: Container[] }
}

export interface Deployment {
  kind?: string
  metadata: ObjectMeta
  spec?: {
    replicas?: number
    paused?: boolean
    selector?: LabelSelector
    template?: PodTemplate
    progressDeadlineSeconds?: number
  }
  status?: {
    observedGeneration?: number
    replicas?: number
    updatedReplicas?: number
    readyReplicas?: number
    availableReplicas?: number
    unavailableReplicas?: number
    conditions?: Condition[]
  }
}

export interface StatefulSet {
  kind?: string
  metadata: ObjectMeta
  spec?: {
    replicas?: number
    selector?: LabelSelector
    template?: PodTemplate
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete' | string; rollingUpdate?: { partition?: number } }
    podManagementPolicy?: 'OrderedReady' | 'Parallel' | string
  }
  status?: {
    observedGeneration?: number
    replicas?: number
    readyReplicas?: number
    availableReplicas?: number
    currentReplicas?: number
    updatedReplicas?: number
    currentRevision?: string
    updateRevision?: string
  }
}

export interface DaemonSet {
  kind?: string
  metadata: ObjectMeta
  spec?: { selector?: LabelSelector; template?: PodTemplate; updateStrategy?: { type?: string } }
  status?: {
    observedGeneration?: number
    desiredNumberScheduled?: number
    currentNumberScheduled?: number
    updatedNumberScheduled?: number
    numberReady?: number
    numberAvailable?: number
    numberUnavailable?: number
    numberMisscheduled?: number
  }
}

export interface Job {
  kind?: string
  metadata: ObjectMeta
  spec?: {
    completions?: number
    parallelism?: number
    backoffLimit?: number
    suspend?: boolean
    selector?: LabelSelector
    template?: PodTemplate
  }
  status?: {
    active?: number
    succeeded?: number
    failed?: number
    ready?: number
    conditions?: Condition[]
    startTime?: string
    completionTime?: string
  }
}

/** serving.knative.dev/v1 Service. */
export interface KnativeService {
  kind?: string
  metadata: ObjectMeta
  spec?: { template?: PodTemplate }
  status?: {
    observedGeneration?: number
    conditions?: Condition[]
    latestCreatedRevisionName?: string
    latestReadyRevisionName?: string
    url?: string
  }
}

/** argoproj.io/v1alpha1 Rollout. */
export interface ArgoRollout {
  kind?: string
  metadata: ObjectMeta
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplate; paused?: boolean }
  status?: {
    phase?: 'Healthy' | 'Progressing' | 'Paused' | 'Degraded' | string
    message?: string
    observedGeneration?: string | number
    currentPodHash?: string
    stableRS?: string
    currentStepIndex?: number
    replicas?: number
    updatedReplicas?: number
    readyReplicas?: number
    availableReplicas?: number
  }
}

/** The object a verification follows, as any kind sends it: each kind's module reads its own fields. */
export interface WorkloadObject {
  kind?: string
  apiVersion?: string
  metadata: ObjectMeta
  spec?: object
  status?: object
}

export interface ReplicaSet {
  metadata: ObjectMeta
  spec?: { replicas?: number; template?: PodTemplate }
  status?: {
    replicas?: number
    readyReplicas?: number
    availableReplicas?: number
    observedGeneration?: number
  }
}

export interface ContainerStateTerminated {
  exitCode?: number
  signal?: number
  reason?: string
  message?: string
  startedAt?: string
  finishedAt?: string
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string }
  running?: { startedAt?: string }
  terminated?: ContainerStateTerminated
}

export interface ContainerStatus {
  name: string
  image?: string
  imageID?: string
  ready?: boolean
  started?: boolean
  restartCount?: number
  state?: ContainerState
  lastState?: ContainerState
}

export interface Pod {
  kind?: string
  metadata: ObjectMeta
  spec?: {
    nodeName?: string
    restartPolicy?: string
    containers: Container[]
    initContainers?: (Container & { restartPolicy?: string })[]
  }
  status?: {
    phase?: string
    reason?: string
    message?: string
    conditions?: Condition[]
    containerStatuses?: ContainerStatus[]
    initContainerStatuses?: ContainerStatus[]
    startTime?: string
  }
}

/** core/v1 Event, in both shapes the API serves: recorder (count, timestamps) and events.k8s.io (eventTime, series). */
export interface KEvent {
  metadata: ObjectMeta
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string }
  reason?: string
  message?: string
  type?: string
  count?: number
  firstTimestamp?: string | null
  lastTimestamp?: string | null
  eventTime?: string | null
  series?: { count?: number; lastObservedTime?: string }
  source?: { component?: string; host?: string }
  reportingComponent?: string
}
