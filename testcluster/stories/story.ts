// One story, told by one test world or both: what a workflow passes, the verdict it must get, and how each world
// makes it happen. A story both worlds tell is one entry with both tellings, so their names, inputs and
// verdicts cannot drift apart.
import type { VerdictName } from '../../src/verdict/types.js'
import type { RealWorld } from '../real/world.js'
import { recordedScenario } from './recorded.js'
import { BUILD_NS, NS, type Scenario } from './stand-in.js'

/** Action inputs by name, as a workflow passes them (without kubeconfig). */
export type Inputs = Record<string, string>

/** The namespaces a story runs in: the workload's and the build pod's (each real story gets its own). */
export interface StoryNs {
  app: string
  build: string
}

/** What the action has logged so far, for a story that acts at a moment of the action's own (a soak). */
export interface ActionLog {
  said: (line: RegExp, ms?: number) => Promise<void>
}

/**
 * The stand-in's telling: the replay of the real control plane's recording of the story
 * (testcluster/timeline/recorded/, by the story's slug), with the stand-in's deadline.
 */
export interface StandInTelling {
  timeout: string
}

/** The real control plane's telling: YAML applied as a pipeline would, on the world's clock. */
export interface RealTelling {
  timeout: string
  /** The cluster as the deploy step leaves it. */
  setup: (w: RealWorld, s: StoryNs) => Promise<void>
  /** What happens while the action waits; `action.said` resolves once the action has logged a matching line. */
  then?: (w: RealWorld, s: StoryNs, action?: ActionLog) => Promise<void>
  /** What the reason must say (the real components' words). */
  reason?: RegExp
  /** Give the action no RBAC in the namespace (403), or a token the apiserver does not know (401). */
  credentials?: 'no-rbac' | 'invalid'
  /** The verdict may not come before this many seconds of the world's clock (the tool or pods are not done). */
  notBefore?: number
  /** The job summary must match (a deploy tool's stage in the timeline). */
  summary?: RegExp
}

export interface Story {
  /** Golden files and fixtures are named by its slug. */
  name: string
  expect: VerdictName
  /** The verdict ends the wait early: before the stand-in's deadline, before half the real one. */
  early?: boolean
  inputs: (s: StoryNs) => Inputs
  standIn?: StandInTelling
  real?: RealTelling
}

/** A story as the stand-in runs it: its inputs in the stand-in's namespaces, with the deadline. */
export interface StandInStory {
  name: string
  expect: VerdictName
  early?: boolean
  scenario: () => Scenario
  inputs: Inputs
}

/** A story as the real control plane runs it. */
export interface RealStory extends RealTelling {
  name: string
  expect: VerdictName
  early?: boolean
  inputs: (s: StoryNs) => Inputs
}

/** A story's name as golden summaries and recorded fixtures are named, and as `npm run cluster` takes it. */
export const slug = (name: string): string =>
  name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 60)

export function standInStory({ name, expect, early, inputs, standIn }: Story): StandInStory | undefined {
  if (!standIn) return undefined
  const ns = { app: NS, build: BUILD_NS }
  return {
    name,
    expect,
    ...(early ? { early } : {}),
    scenario: () => recordedScenario(name),
    inputs: { ...inputs(ns), timeout: standIn.timeout }
  }
}

export function realStory({ name, expect, early, inputs, real }: Story): RealStory | undefined {
  if (!real) return undefined
  return { name, expect, ...(early ? { early } : {}), ...real, inputs }
}
