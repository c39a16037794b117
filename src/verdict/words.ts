// Counting words shared by the decision and the kinds' rules.

/** `2 of 3 new pods Ready`; with none Ready yet, `the new pod to become Ready` (never "0 of 1 … Ready"). */
export function newPodsReady(ready: number, desired: number): string {
  if (ready > 0) return `${ready} of ${desired} new pods Ready`
  return desired === 1 ? 'the new pod to become Ready' : `${desired} new pods to become Ready`
}
