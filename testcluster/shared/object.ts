// The Kubernetes object as both test worlds handle it: metadata typed, the rest open. The stand-in narrows `spec`
// and `status` per kind (KObject & { spec: PodSpec }, which `any` would swallow); the real world's client reads
// them untyped (KObject<any, any>).
export type KObject<Spec = unknown, Status = unknown> = {
  apiVersion?: string
  kind?: string
  metadata: {
    name: string
    namespace?: string
    uid?: string
    resourceVersion?: string
    generation?: number
    creationTimestamp?: string
    deletionTimestamp?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    ownerReferences?: OwnerReference[]
    [k: string]: unknown
  }
  spec?: Spec
  status?: Status
  [k: string]: unknown
}

export interface OwnerReference {
  apiVersion?: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}
