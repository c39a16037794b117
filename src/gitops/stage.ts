// The GitOps stage: what the deploy tool (Helm, Argo CD, Flux) shows of the change, as a pure decision from the
// object read to one of four states. The workloads it applied are verified afterwards like any others.
import type { WorkloadRef } from '../refs.js'
import { shortRevision, type Revision } from './revision.js'

export type Tool = 'helm' | 'argocd' | 'flux-kustomization' | 'flux-helmrelease'

export const TOOL_TITLE: Record<Tool, string> = {
  helm: 'Helm',
  argocd: 'Argo CD',
  'flux-kustomization': 'Flux',
  'flux-helmrelease': 'Flux'
}

/** Where kube-verdict reads what the tool did. */
export type GitopsSource =
  | {
      tool: 'helm'
      release: string
      /** Undefined: the step's namespace. */
      namespace?: string
      /** Helm's storage driver (HELM_DRIVER): Secrets by default, or ConfigMaps. */
      driver: 'secret' | 'configmap'
      /** The release revision to wait for (`helm upgrade` prints `REVISION: 4`); else the newest. */
      revision?: number
    }
  | { tool: 'argocd' | 'flux-kustomization'; namespace: string; name: string; revision?: Revision }
  /** `revision`: the chart version (`1.4.2`) or the values' config digest (`sha256:…`) of history[0]. */
  | { tool: 'flux-helmrelease'; namespace: string; name: string; revision?: string }

/** What of the tool watches the pods on a clock of its own, whose giving up is no verdict (a false alarm). */
export const OWN_CLOCK: Record<Tool, string> = {
  helm: "Helm's own wait (--wait)",
  argocd: "Argo CD's health assessment",
  'flux-kustomization': "Flux's health check (spec.timeout)",
  'flux-helmrelease': "Flux's Helm wait (spec.timeout)"
}

/** A revision as the tool names it in words: `revision 4` for Helm, `9a8b7c6` for commits. */
export function revisionWords(tool: Tool, revision: string): string {
  if (tool === 'helm') return `revision ${revision}`
  return tool === 'flux-helmrelease' ? revision : shortRevision(revision)
}

/** The tool's object in words: `Helm release web`, `Argo CD Application argocd/shop`. */
export function sourceLabel(g: GitopsSource): string {
  return g.tool === 'helm' ? `Helm release ${g.release}` : `${OBJECT_KIND[g.tool]} ${g.namespace}/${g.name}`
}

/** The tool's object kind in words, for the tools that keep one object per change. */
export const OBJECT_KIND: Record<Exclude<Tool, 'helm'>, string> = {
  argocd: 'Argo CD Application',
  'flux-kustomization': 'Flux Kustomization',
  'flux-helmrelease': 'Flux HelmRelease'
}

/** A workload the tool applied, with its own namespace. */
export interface Located {
  ref: WorkloadRef
  namespace: string
}

export type StageState =
  /** The object is not there (yet): not-found once that holds for the grace period. */
  | { phase: 'absent'; status: string }
  /**
   * The tool has not applied the wanted revision yet. `problem`: an error it shows meanwhile; `seen`: revisions it
   * went through that cannot be ordered against the wanted one (both named at the deadline).
   */
  | { phase: 'waiting'; status: string; waitingFor: string; problem?: string; seen?: string }
  /** Applied: verify these workloads. `falseAlarm`: the tool's own failure that was only its wait giving up. */
  | {
      phase: 'applied'
      status: string
      revision?: string
      workloads: Located[]
      /** Objects of the tool's list that are not workloads, or kinds without a rule (`service/web`). */
      others: number
      falseAlarm?: string
    }
  /** The tool could not apply the change: apply-failed, with its message. */
  | { phase: 'failed'; status: string; revision?: string; message: string }
  /**
   * The tool applied (or is applying) `by` after the wanted revision, as its own order shows (`evidence`): the
   * wanted revision is gone before it could be verified.
   */
  | { phase: 'superseded'; status: string; wanted: string; by: string; evidence: string }

/** The stage as the report shows it (the `report` output's `gitops`). */
export interface GitopsReport {
  tool: Tool
  /** `Argo CD Application argocd/shop`, `Helm release shop/web`. */
  object: string
  /** The object's namespace and name, for commands that name it. */
  namespace: string
  name: string
  /** The revision waited for; absent: none was given, so none was checked. */
  wanted?: string
  /** The revision the tool applied, once it did. */
  applied?: string
  /** Seconds from the start until the tool had applied it. */
  appliedAt?: number
  status: string
  /** The tool's message when it failed. */
  message?: string
  /** The tool's own failure that the pods proved wrong or right (Helm's wait, Flux's health check giving up). */
  falseAlarm?: string
  /** The revision the tool applied after the wanted one (verdict superseded). */
  supersededBy?: string
  /** The workloads verified after it. */
  workloads: string[]
}
