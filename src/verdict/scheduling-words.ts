// A pod's scheduling facts in words: the scheduler's reasons, then what the autoscaler does about them (the finding's
// message and the next step say the same).
import { describeScheduling } from './scheduling.js'
import type { SchedulingFacts } from './types.js'

/** The scheduler's reasons, then what the autoscaler does about them. */
export function describeSchedulingFacts(f: SchedulingFacts): string {
  const autoscaler = f.autoscaler
    ? f.autoscaler.adding
      ? `; the cluster-autoscaler is adding capacity: ${f.autoscaler.says}`
      : `; the cluster-autoscaler will not add a node: ${f.autoscaler.says}`
    : ''
  return `${describeScheduling(f)}${autoscaler}`
}
