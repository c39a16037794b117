// How the reader finds a workload's pods: the contract between a kind's descriptor (src/kinds/) and the reader.
import type { ReplicaSet } from './types.js'

/** How the pods of an object are found. */
export type PodLookup<O> =
  /** The newest ReplicaSet's pods (a Deployment's): the reader follows only those. */
  | {
      via: 'replica-sets'
      selector: (o: O) => string
      newest: (o: O, rss: ReplicaSet[]) => ReplicaSet | undefined
    }
  /** A label selector from the object; `owned`: only pods whose owner is the object itself. */
  | { via: 'selector'; selector: (o: O) => string | undefined; owned: boolean }
  /** There is no object: the workload's name is the label selector. */
  | { via: 'name-is-selector' }
