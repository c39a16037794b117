export const id = 682;
export const ids = [682];
export const modules = {

/***/ 3682:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DeploymentStatus: () => (/* binding */ DeploymentStatus),
/* harmony export */   stateOf: () => (/* binding */ stateOf)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _safe_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9369);
/* harmony import */ var _verdict_table_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7905);
// A GitHub Deployment status: in_progress while waiting, then success, failure or error with the reason and the
// run as log_url. Needs `permissions: deployments: write`. A failure to post never changes the verdict.



function stateOf(v) {
    return _verdict_table_js__WEBPACK_IMPORTED_MODULE_1__/* .VERDICT */ .y3[v].deploymentState;
}
class DeploymentStatus {
    target;
    id;
    octokit;
    owner;
    repo;
    logUrl;
    constructor(target, run) {
        this.target = target;
        const [owner, repo] = (run.repository ?? '').split('/');
        if (!owner || !repo)
            throw new Error('GITHUB_REPOSITORY is not set, so there is no repository to post the deployment status to');
        this.owner = owner;
        this.repo = repo;
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(target.token);
        if (run.serverUrl && run.runId)
            this.logUrl = `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`;
        this.id = target.deploymentId;
    }
    async resolve() {
        if (this.id !== undefined)
            return this.id;
        const { data } = await this.octokit.rest.repos.listDeployments({
            owner: this.owner,
            repo: this.repo,
            environment: this.target.environment,
            per_page: 1
        });
        const latest = data[0];
        if (!latest)
            throw new Error(`no deployment found for environment "${this.target.environment}"`);
        this.id = latest.id;
        return latest.id;
    }
    /** Posts a status; returns the deployment id it went to. */
    async post(state, description) {
        const id = await this.resolve();
        await this.octokit.rest.repos.createDeploymentStatus({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
            state,
            description: (0,_safe_js__WEBPACK_IMPORTED_MODULE_2__/* .oneLine */ .TN)(description, 140),
            ...(this.logUrl ? { log_url: this.logUrl } : {}),
            ...(this.target.environment ? { environment: this.target.environment } : {})
        });
        return id;
    }
}


/***/ })

};
