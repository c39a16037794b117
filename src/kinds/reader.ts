// The reader of a workload the step names: the kinds' registry tells the cluster layer's reader where the kind is
// served and how its pods are found, so that src/kube/ knows no kind by name.
import type { KubeApi } from '../kube/api.js'
import type { CollectionPool } from '../kube/collection.js'
import { WorkloadReader, type ReaderTarget } from '../kube/reader.js'
import { kindOf, resourceOf } from './registry.js'

export class SnapshotReader extends WorkloadReader {
  constructor(
    api: KubeApi,
    target: ReaderTarget,
    onChange?: () => void,
    now?: () => number,
    /** Shared caches when one step verifies several workloads. */
    pool?: CollectionPool
  ) {
    super(api, target, { resource: resourceOf(target), pods: kindOf(target).pods }, onChange, now, pool)
  }
}
