// A GitHub Deployment status: in_progress while waiting, then success, failure or error with the reason and the
// run as log_url. Needs `permissions: deployments: write`. A failure to post never changes the verdict.
import { getOctokit } from '@actions/github'
import type { VerdictName } from '../verdict/types.js'
import { oneLine } from './safe.js'
import { VERDICT, type DeploymentState } from '../verdict/table.js'

export interface DeploymentTarget {
  token: string
  deploymentId?: number
  environment?: string
}

export interface RunContext {
  repository?: string // owner/repo
  serverUrl?: string
  runId?: string
}

type State = 'in_progress' | DeploymentState

export function stateOf(v: VerdictName): State {
  return VERDICT[v].deploymentState
}

export class DeploymentStatus {
  private id?: number
  private readonly octokit: ReturnType<typeof getOctokit>
  private readonly owner: string
  private readonly repo: string
  private readonly logUrl?: string

  constructor(
    private readonly target: DeploymentTarget,
    run: RunContext
  ) {
    const [owner, repo] = (run.repository ?? '').split('/')
    if (!owner || !repo)
      throw new Error(
        'GITHUB_REPOSITORY is not set, so there is no repository to post the deployment status to'
      )
    this.owner = owner
    this.repo = repo
    this.octokit = getOctokit(target.token)
    if (run.serverUrl && run.runId)
      this.logUrl = `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`
    this.id = target.deploymentId
  }

  private async resolve(): Promise<number> {
    if (this.id !== undefined) return this.id
    const { data } = await this.octokit.rest.repos.listDeployments({
      owner: this.owner,
      repo: this.repo,
      environment: this.target.environment,
      per_page: 1
    })
    const latest = data[0]
    if (!latest) throw new Error(`no deployment found for environment "${this.target.environment}"`)
    this.id = latest.id
    return latest.id
  }

  /** Posts a status; returns the deployment id it went to. */
  async post(state: State, description: string): Promise<number> {
    const id = await this.resolve()
    await this.octokit.rest.repos.createDeploymentStatus({
      owner: this.owner,
      repo: this.repo,
      deployment_id: id,
      state,
      description: oneLine(description, 140),
      ...(this.logUrl ? { log_url: this.logUrl } : {}),
      ...(this.target.environment ? { environment: this.target.environment } : {})
    })
    return id
  }
}
