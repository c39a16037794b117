// The one story catalogue both test worlds read. Views give each runner the stories it tells, in the
// catalogue's order: the stand-in's timelines, and the real control plane's stories file by file.
import { DECISION_TABLE } from './decision-table.js'
import { GITOPS } from './gitops.js'
import { KINDS } from './kinds.js'
import { SOAK } from './soak.js'
import { realStory, standInStory, type RealStory, type StandInStory, type Story } from './story.js'

export const STORIES: Story[] = [...DECISION_TABLE, ...KINDS, ...GITOPS, ...SOAK]

const told = <T>(stories: Story[], telling: (s: Story) => T | undefined): T[] =>
  stories.flatMap(s => telling(s) ?? [])

/** Every story the stand-in tells: the golden summaries, fixtures, e2e and fault suites, `npm run cluster`. */
export const standInStories = (): StandInStory[] => told(STORIES, standInStory)

/** The decision table on the real control plane (Deployments, StatefulSets, DaemonSets, Jobs, bare pods). */
export const realStories = (): RealStory[] => told(DECISION_TABLE, realStory)

/** Knative, Argo Rollouts, KServe and a team's own CRD on the real control plane. */
export const kindStories = (): RealStory[] => told(KINDS, realStory)

/** Helm, Argo CD and Flux on the real control plane. */
export const gitopsStories = (): RealStory[] => told(GITOPS, realStory)

/** What happens after Ready, with and without a soak, on the real control plane. */
export const soakStories = (): RealStory[] => told(SOAK, realStory)

export type { RealStory, StandInStory, Story, StoryNs } from './story.js'
