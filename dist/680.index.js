export const id = 680;
export const ids = [680];
export const modules = {

/***/ 6680:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  verifyGitops: () => (/* binding */ verifyGitops)
});

// EXTERNAL MODULE: ./src/kinds/registry.ts + 10 modules
var registry = __webpack_require__(5065);
// EXTERNAL MODULE: ./src/report/report.ts
var report = __webpack_require__(8850);
// EXTERNAL MODULE: ./src/verify.ts + 7 modules
var verify = __webpack_require__(7094);
// EXTERNAL MODULE: ./src/kube/api.ts
var api = __webpack_require__(985);
// EXTERNAL MODULE: ./src/kube/reader.ts + 1 modules
var reader = __webpack_require__(6111);
// EXTERNAL MODULE: ./src/gitops/revision.ts
var gitops_revision = __webpack_require__(2927);
;// CONCATENATED MODULE: ./src/gitops/argocd.ts
// An Argo CD Application, read as Argo CD writes it (argoproj.io/v1alpha1): status.sync {status, revision,
// revisions} (revisions for multi-source apps), status.operationState {phase, message, operation.sync.revision,
// syncResult.revision(s)}, status.conditions (SyncError, ComparisonError, …), status.resources[]. Pure.


const ERRORS = new Set(['SyncError', 'ComparisonError']);
function revs(s) {
    return [s?.revision, ...(s?.revisions ?? [])].filter((r) => Boolean(r));
}
function names(rs, want) {
    return want ? rs.some(r => (0,gitops_revision/* revisionMatches */.Ne)(r, want)) : true;
}
function argoStage(app, label, want) {
    if (!app)
        return { phase: 'absent', status: `Argo CD Application ${label} does not exist` };
    const st = app.status ?? {};
    const synced = revs(st.sync);
    const op = st.operationState;
    const opRevs = [...revs(op?.syncResult), ...revs(op?.operation?.sync)];
    const at = synced[0] ? ` at ${synced.map(gitops_revision/* shortRevision */.w7).join(', ')}` : '';
    const status = `${st.sync?.status ?? 'Unknown'}, ${st.health?.status ?? 'Unknown'}${at}${op?.phase ? `; last sync ${op.phase}` : ''}`;
    const forWant = (rs) => names(rs, want);
    const wantText = want ? `revision ${want.text}` : 'the current sync';
    // A finished operation that failed for the wanted revision (an operation that never resolved its revision
    // counts when the Application points at it).
    if (op && (op.phase === 'Failed' || op.phase === 'Error') && forWant(opRevs.length > 0 ? opRevs : synced))
        return {
            phase: 'failed',
            status,
            ...(opRevs[0] ? { revision: opRevs[0] } : {}),
            message: op.message || `the sync operation ended ${op.phase}`
        };
    const error = (st.conditions ?? []).find(c => ERRORS.has(c.type ?? ''));
    const errorText = error ? `${error.type}: ${error.message ?? ''}` : undefined;
    const running = op && (op.phase === 'Running' || op.phase === 'Terminating');
    if (error && !running && synced.length > 0 && forWant(synced))
        return { phase: 'failed', status, revision: synced[0], message: errorText };
    const opDone = op?.phase === 'Succeeded' && forWant(opRevs);
    const inSync = st.sync?.status === 'Synced' && synced.length > 0 && forWant(synced);
    if (!running && (opDone || inSync)) {
        const revision = (opDone ? opRevs : synced).find(r => !want || (0,gitops_revision/* revisionMatches */.Ne)(r, want));
        return { phase: 'applied', status, ...(revision ? { revision } : {}), ...resourcesOf(app) };
    }
    return {
        phase: 'waiting',
        status,
        waitingFor: `Argo CD to apply ${wantText} to Application ${label} (it is ${status})`,
        ...(errorText ? { problem: errorText } : {}),
        ...(running && op?.message ? { problem: op.message } : {})
    };
}
/** The workloads of `status.resources`, each in its namespace (the destination's when it has none). */
function resourcesOf(app) {
    const workloads = [];
    let others = 0;
    const dflt = app.spec?.destination?.namespace || app.metadata.namespace || 'default';
    for (const r of app.status?.resources ?? []) {
        const api = r.group ? `${r.group}/${r.version ?? ''}` : (r.version ?? 'v1');
        const known = r.kind && r.name ? (0,registry/* kindOfManifest */.r6)(api, r.kind) : undefined;
        if (!known || known === 'Pods' || !r.name) {
            others++;
            continue;
        }
        workloads.push({ ref: { kind: known, name: r.name }, namespace: r.namespace || dflt });
    }
    return { workloads, others };
}

;// CONCATENATED MODULE: ./src/gitops/flux.ts
// A Flux Kustomization, read as kustomize-controller writes it (kustomize.toolkit.fluxcd.io/v1): the Ready
// condition (reasons ReconciliationSucceeded, Progressing, ReconciliationFailed, HealthCheckFailed, BuildFailed,
// ArtifactFailed, …), status.lastAppliedRevision / lastAttemptedRevision (`main@sha1:<sha>`), and
// status.inventory.entries with ids `<namespace>_<name>_<group>_<Kind>`. Pure.


/** Ready=False reasons that end the attempt at a revision; others (DependencyNotReady, Progressing) wait. */
const FAILED = new Set([
    'ReconciliationFailed',
    'HealthCheckFailed',
    'BuildFailed',
    'ArtifactFailed',
    'PruneFailed',
    'InvalidPath',
    'DecryptionFailed',
    'PostBuildSubstitutionFailed'
]);
function fluxStage(ks, label, want) {
    if (!ks)
        return { phase: 'absent', status: `Flux Kustomization ${label} does not exist` };
    const st = ks.status ?? {};
    const ready = (st.conditions ?? []).find(c => c.type === 'Ready');
    const applied = st.lastAppliedRevision;
    const attempted = st.lastAttemptedRevision;
    const status = `Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` ${ready.reason}` : ''}${applied ? ` at ${(0,gitops_revision/* shortRevision */.w7)(applied)}` : ''}`;
    const matches = (r) => (want ? (0,gitops_revision/* revisionMatches */.Ne)(r, want) : true);
    const observed = (st.observedGeneration ?? -1) >= (ks.metadata.generation ?? 0);
    if (observed && ready?.status === 'False' && FAILED.has(ready.reason ?? '') && matches(attempted))
        return {
            phase: 'failed',
            status,
            ...(attempted ? { revision: attempted } : {}),
            message: `${ready.reason}: ${ready.message ?? ''}`
        };
    if (observed && ready?.status === 'True' && applied && matches(applied))
        return { phase: 'applied', status, revision: applied, ...inventoryOf(ks) };
    const problem = ready?.status === 'False' && ready.message
        ? `${ready.reason ?? 'Ready=False'}: ${ready.message}`
        : undefined;
    return {
        phase: 'waiting',
        status,
        waitingFor: `Flux to apply ${want ? `revision ${want.text}` : 'the current revision'} with Kustomization ${label} (it is ${status}${observed ? '' : ', generation not observed yet'})`,
        ...(problem ? { problem } : {})
    };
}
/** Inventory ids: `<namespace>_<name>_<group>_<Kind>` (names and namespaces never hold `_`). */
function parseInventoryId(id) {
    const parts = id.split('_');
    if (parts.length !== 4 || !parts[1] || !parts[3])
        return undefined;
    return { namespace: parts[0], name: parts[1], group: parts[2], kind: parts[3] };
}
function inventoryOf(ks) {
    const workloads = [];
    let others = 0;
    for (const e of ks.status?.inventory?.entries ?? []) {
        const id = e.id ? parseInventoryId(e.id) : undefined;
        const known = id
            ? (0,registry/* kindOfManifest */.r6)(id.group ? `${id.group}/${e.v ?? ''}` : (e.v ?? 'v1'), id.kind)
            : undefined;
        if (!id || !known || known === 'Pods') {
            others++;
            continue;
        }
        workloads.push({
            ref: { kind: known, name: id.name },
            namespace: id.namespace || ks.metadata.namespace || 'default'
        });
    }
    return { workloads, others };
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/gitops/helm.ts
// Helm's release storage, read as Helm writes it (helm.sh/helm pkg/storage/driver): one Secret (or ConfigMap with
// HELM_DRIVER=configmap) per revision, `sh.helm.release.v1.NAME.vN`, labelled owner=helm, name, status, version;
// `release` is base64 of the gzipped JSON release (the Secret's data adds Kubernetes' own base64 on top).
// The release holds the chart's values, which may be secrets: only status, description and manifest are kept,
// and nothing of it is ever logged. Pure.



class HelmDecodeError extends Error {
}
const GZIP = [0x1f, 0x8b, 0x08];
/** A release's JSON is rarely over a few MiB; a bomb is cut off here. */
const MAX_JSON = 64 * 1024 * 1024;
/**
 * Helm's decodeRelease: base64, then gunzip when the gzip magic leads (older releases are plain JSON). `stored`
 * is Helm's string: the ConfigMap's `data.release`, or the Secret's `data.release` after Kubernetes' base64.
 */
function decodeRelease(stored) {
    let bytes = Buffer.from(stored, 'base64');
    if (bytes.length > 3 && GZIP.every((b, i) => bytes[i] === b)) {
        try {
            bytes = (0,external_node_zlib_.gunzipSync)(bytes, { maxOutputLength: MAX_JSON });
        }
        catch (e) {
            throw new HelmDecodeError(`the release record does not gunzip (${e.code})`);
        }
    }
    let rel;
    try {
        rel = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new HelmDecodeError('the release record is not Helm’s JSON');
    }
    const str = (v) => (typeof v === 'string' ? v : '');
    return {
        version: typeof rel.version === 'number' ? rel.version : 0,
        status: str(rel.info?.status),
        description: str(rel.info?.description),
        manifest: str(rel.manifest),
        ...(typeof rel.namespace === 'string' && rel.namespace ? { namespace: rel.namespace } : {})
    };
}
/** The storage object's `data.release` as Helm wrote it: Secrets carry it under Kubernetes' base64 too. */
function storedRelease(driver, data) {
    return driver === 'secret' ? Buffer.from(data, 'base64').toString('latin1') : data;
}
/** The newest revision by the `version` label. */
function newestRevision(revisions) {
    return revisions.reduce((n, r) => (!n || r.version > n.version ? r : n), undefined);
}
/** Helm's own wait gave up (`--wait`/`--atomic` timeout): the objects were applied; only Helm stopped waiting. */
const WAIT_GAVE_UP = /timed out waiting for the condition|context deadline exceeded|resource not ready/i;
/** A hook that failed or timed out: the release's objects may never have been applied. */
const HOOK = /\bhooks? failed|\bhook\b/i;
/** Whether a failed release's description is only Helm's wait giving up. */
function waitGaveUp(description) {
    return WAIT_GAVE_UP.test(description) && !HOOK.test(description);
}
/** The statuses a release passes through while Helm works on it. */
const PENDING = new Set(['pending-install', 'pending-upgrade', 'pending-rollback', 'uninstalling', 'unknown']);
/** Statuses whose record must be read (description, manifest) to decide. */
function needsRecord(status) {
    return status === 'deployed' || status === 'failed';
}
/**
 * Where the release stands: `newest` is the newest revision by label; `record` its decoded release, read when the
 * status needs it. `want`: the revision the deploy step made (else the newest is judged).
 */
function helmStage(release, namespace, newest, record, want) {
    const name = `Helm release ${release}`;
    if (!newest)
        return { phase: 'absent', status: `${name} has no revision in namespace ${namespace}` };
    const at = `revision ${newest.version}: ${newest.status}`;
    if (want !== undefined && newest.version < want)
        return { phase: 'waiting', status: at, waitingFor: `${name} revision ${want} (newest is ${at})` };
    if (PENDING.has(newest.status))
        return { phase: 'waiting', status: at, waitingFor: `Helm to finish ${name} ${at}` };
    if (newest.status === 'uninstalled')
        return {
            phase: 'failed',
            status: at,
            revision: String(newest.version),
            message: `${name} was uninstalled`
        };
    if (!needsRecord(newest.status) || !record)
        return { phase: 'waiting', status: at, waitingFor: `${name} ${at} to be deployed` };
    const revision = String(newest.version);
    if (record.status === 'failed' && !waitGaveUp(record.description))
        return {
            phase: 'failed',
            status: at,
            revision,
            message: record.description || `${name} revision ${revision} failed`
        };
    const { workloads, others } = workloadsOfManifest(record.manifest, record.namespace ?? namespace);
    return {
        phase: 'applied',
        status: at,
        revision,
        workloads,
        others,
        ...(record.status === 'failed' ? { falseAlarm: record.description } : {})
    };
}
/** The workloads of a rendered manifest (Helm's, or any multi-document YAML), each in its namespace. */
function workloadsOfManifest(manifest, namespace) {
    const workloads = [];
    let others = 0;
    for (const doc of (0,dist/* parseAllDocuments */.hR)(manifest, { uniqueKeys: false })) {
        if (doc.errors.length > 0)
            continue;
        const kind = doc.getIn(['kind']);
        const name = doc.getIn(['metadata', 'name']);
        if (typeof kind !== 'string' || typeof name !== 'string')
            continue;
        const known = (0,registry/* kindOfManifest */.r6)(String(doc.getIn(['apiVersion']) ?? ''), kind);
        if (!known || known === 'Pods') {
            others++;
            continue;
        }
        const ns = doc.getIn(['metadata', 'namespace']);
        const located = { ref: { kind: known, name }, namespace: typeof ns === 'string' && ns ? ns : namespace };
        if (!workloads.some(w => w.ref.kind === known && w.ref.name === name && w.namespace === located.namespace))
            workloads.push(located);
    }
    return { workloads, others };
}

;// CONCATENATED MODULE: ./src/gitops/read.ts
// Reads what the deploy tool wrote and hands it to the stage's pure decision. Helm's revisions are listed as
// metadata only (labels, no release data); only the newest deployed or failed one is fetched and decoded, once
// per resourceVersion, and nothing of it but status, description and manifest is kept.





const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
class StageReader {
    api;
    source;
    namespace;
    cached;
    constructor(api, source, 
    /** The step's namespace: Helm's release namespace when the source names none. */
    namespace) {
        this.api = api;
        this.source = source;
        this.namespace = namespace;
    }
    /** `Helm release shop/web`, `Argo CD Application argocd/shop`. */
    get object() {
        const s = this.source;
        if (s.tool === 'helm')
            return `Helm release ${this.namespace}/${s.release}`;
        return `${s.tool === 'argocd' ? 'Argo CD Application' : 'Flux Kustomization'} ${s.namespace}/${s.name}`;
    }
    async read() {
        const s = this.source;
        if (s.tool === 'helm')
            return this.readHelm(s);
        const group = s.tool === 'argocd' ? 'argoproj.io' : 'kustomize.toolkit.fluxcd.io';
        const path = s.tool === 'argocd'
            ? `/apis/argoproj.io/v1alpha1/namespaces/${s.namespace}/applications/${s.name}`
            : `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${s.namespace}/kustomizations/${s.name}`;
        const plural = s.tool === 'argocd' ? 'applications' : 'kustomizations';
        const obj = await this.getOrUndefined(path, plural, group, s.namespace);
        const label = `${s.namespace}/${s.name}`;
        return s.tool === 'argocd'
            ? argoStage(obj, label, s.revision)
            : fluxStage(obj, label, s.revision);
    }
    async getOrUndefined(path, plural, group, ns) {
        try {
            return await this.api.get(path);
        }
        catch (e) {
            // A missing object, or a CRD that is not installed, is "not there (yet)".
            if (e instanceof api/* ApiError */.hD && e.status === 404)
                return undefined;
            throw (0,reader/* fatal */.h2)(e, `the ${plural}`, (0,reader/* rbacHint */.Wy)('get', plural, group, ns));
        }
    }
    async readHelm(s) {
        const ns = s.namespace ?? this.namespace;
        const plural = s.driver === 'secret' ? 'secrets' : 'configmaps';
        const base = `/api/v1/namespaces/${ns}/${plural}`;
        let list;
        try {
            list = (await this.api.list(base, { labelSelector: `owner=helm,name=${s.release}` }, { maxPages: 4, accept: METADATA_LIST })).items;
        }
        catch (e) {
            throw (0,reader/* fatal */.h2)(e, `Helm's release storage`, (0,reader/* rbacHint */.Wy)('list', plural, '', ns));
        }
        // Only Helm's own objects for this release name (`sh.helm.release.v1.NAME.vN`).
        const prefix = `sh.helm.release.v1.${s.release}.v`;
        const revisions = list
            .filter(o => o.metadata.name.startsWith(prefix))
            .map(o => ({
            object: o.metadata.name,
            version: Number(o.metadata.labels?.version ?? o.metadata.name.slice(prefix.length)),
            status: o.metadata.labels?.status ?? 'unknown',
            rv: o.metadata.resourceVersion ?? ''
        }))
            .filter(r => Number.isInteger(r.version) && r.version > 0);
        const newest = newestRevision(revisions);
        let record;
        if (newest && needsRecord(newest.status)) {
            const key = `${newest.object}@${newest.rv}`;
            if (this.cached?.key === key)
                record = this.cached.record;
            else {
                let obj;
                try {
                    obj = await this.api.get(`${base}/${newest.object}`);
                }
                catch (e) {
                    if (!(e instanceof api/* ApiError */.hD && e.status === 404))
                        throw (0,reader/* fatal */.h2)(e, `Helm's release storage`, (0,reader/* rbacHint */.Wy)('get', plural, '', ns));
                }
                const data = obj?.data?.release;
                if (data) {
                    record = decodeRelease(storedRelease(s.driver, data));
                    this.cached = { key, record };
                }
            }
        }
        return helmStage(s.release, ns, newest, record, s.revision);
    }
}

// EXTERNAL MODULE: ./src/gitops/stage.ts
var gitops_stage = __webpack_require__(1994);
// EXTERNAL MODULE: ./src/wait.ts + 1 modules
var wait = __webpack_require__(8159);
;// CONCATENATED MODULE: ./src/gitops/wait.ts
// The GitOps stage's loop: read what the tool shows → decide (pure) → until the change is applied, the tool has
// failed, or the deadline. API trouble is retried and never becomes a verdict; refused credentials end it.




const FIRST_POLL_MS = 500;
const CAP_MS = 2_000;
/** `Argo CD applied 9a8b7c6`, `Helm applied revision 4`. */
function appliedText(title, revision) {
    if (!revision)
        return `${title} applied the change`;
    return title === 'Helm'
        ? `Helm applied revision ${revision}`
        : `${title} applied ${(0,gitops_revision/* shortRevision */.w7)(revision)}`;
}
async function waitForStage(o) {
    const now = o.now ?? Date.now;
    const sleep = o.sleep ?? ((ms) => new Promise(r => setTimeout(r, ms)));
    const start = now();
    const deadline = start + o.timeoutMs;
    const timeline = [];
    let apiErrors = 0;
    let reads = 0;
    let lastError = '';
    let last;
    let absentSince;
    let interval = FIRST_POLL_MS;
    const at = () => Math.round((now() - start) / 100) / 10;
    const note = (text) => {
        const m = { at: at(), text };
        if (timeline.length < 100)
            timeline.push(m);
        o.onStage?.(m.at, text);
    };
    const done = (e) => ({ ...e, elapsedMs: now() - start, timeline, apiErrors, reads });
    while (true) {
        let s;
        try {
            s = await o.read();
            reads++;
        }
        catch (e) {
            if (e instanceof reader/* AccessError */.Zz)
                return done({ end: 'unreachable', reason: e.message });
            apiErrors++;
            lastError = (0,wait/* describeError */.Uc)(e);
            const retryAfter = e instanceof api/* ApiError */.hD && e.retryAfterS ? e.retryAfterS * 1000 : 0;
            if (now() >= deadline)
                break;
            await sleep(Math.min(deadline - now(), Math.max(retryAfter, interval)));
            continue;
        }
        if (!last || last.status !== s.status || last.phase !== s.phase)
            note(`${o.title}: ${s.status}`);
        last = s;
        if (s.phase === 'applied') {
            note(appliedText(o.title, s.revision));
            return done({ end: 'applied', state: s, atMs: now() - start });
        }
        if (s.phase === 'failed') {
            const what = s.revision
                ? `${o.title === 'Helm' ? 'revision ' + s.revision : (0,gitops_revision/* shortRevision */.w7)(s.revision)}`
                : 'the change';
            note(`${o.title} could not apply ${what}`);
            return done({
                end: 'apply-failed',
                reason: `${o.title} could not apply ${what}: ${s.message}`,
                state: s
            });
        }
        if (s.phase === 'absent') {
            absentSince ??= now();
            if (now() - absentSince >= o.graceMs)
                return done({ end: 'not-found', reason: s.status, state: s });
        }
        else
            absentSince = undefined;
        if (now() >= deadline)
            break;
        let pause = interval;
        if (absentSince !== undefined)
            pause = Math.min(pause, absentSince + o.graceMs - now());
        await sleep(Math.max(0, Math.min(pause, deadline - now())));
        interval = Math.min(CAP_MS, interval * 1.5);
    }
    const secs = Math.round(o.timeoutMs / 1000);
    if (!last)
        return done({
            end: 'unreachable',
            reason: `the cluster could not be read for the whole wait of ${secs}s: ${lastError}`
        });
    const waitingFor = last.phase === 'waiting' ? last.waitingFor : last.status;
    const problem = last.phase === 'waiting' && last.problem ? `; ${o.title} says: ${last.problem}` : '';
    return done({
        end: 'timeout',
        reason: `deadline of ${secs}s passed while waiting for ${waitingFor}${problem}`,
        state: last
    });
}

;// CONCATENATED MODULE: ./src/gitops/run.ts






/** Below this, no workload could be verified in what is left of the deadline. */
const MIN_VERIFY_MS = 1_000;
async function verifyGitops(settings, source, env, hooks) {
    const started = Date.now();
    const { api, namespace } = (0,verify/* openApi */.Nd)(settings, env, hooks, (0,verify/* workloadLabel */.Uq)(settings));
    const reader = new StageReader(api, source, namespace);
    const title = gitops_stage/* TOOL_TITLE */.u[source.tool];
    const stage = await waitForStage({
        title,
        timeoutMs: settings.timeoutMs,
        graceMs: settings.graceMs,
        read: () => reader.read(),
        ...(hooks.onStage ? { onStage: hooks.onStage } : {})
    });
    const g = gitopsReport(source, reader.object, stage);
    const stageNs = source.tool === 'helm' ? (source.namespace ?? namespace) : source.namespace;
    /** The stage's report, when no workload is verified after it. */
    const stageOnly = (verdict, reason) => ({
        ...(0,report/* inputReport */.Xn)('', reader.object, stageNs),
        verdict,
        reason,
        elapsedSeconds: seconds(stage.elapsedMs),
        timeline: stage.timeline,
        apiErrors: stage.apiErrors,
        reads: stage.reads,
        apiRequests: api.requests,
        gitops: g
    });
    if (stage.end !== 'applied')
        return stageOnly(stage.end, stage.reason);
    const s = stage.state;
    const unchecked = source.tool === 'helm'
        ? ' (the newest; no revision was asked for)'
        : ' (no revision was checked: none was given)';
    const applied = `${appliedText(title, s.revision)}${g.wanted ? '' : unchecked}`;
    const left = settings.timeoutMs - (Date.now() - started);
    if (s.workloads.length === 0)
        return stageOnly('success', `${applied}; it lists no workload to verify (${s.others} other object${s.others === 1 ? '' : 's'})`);
    if (left < MIN_VERIFY_MS)
        return stageOnly('timeout', `${applied} at ${g.appliedAt}s, at the deadline: no time was left to verify its workloads`);
    // The workloads get what is left of the one deadline; the grace must fit inside it.
    const rest = {
        ...settings,
        timeoutMs: left,
        graceMs: Math.min(settings.graceMs, Math.floor(left / 4))
    };
    const r = await (0,verify/* verifyLocated */.ev)(rest, s.workloads, api, hooks);
    return merge(r, stage, g, applied, title);
}
/** The stage as the report shows it (the `report` output's `gitops`). */
function gitopsReport(source, object, stage) {
    const wanted = source.revision === undefined
        ? undefined
        : typeof source.revision === 'number'
            ? String(source.revision)
            : source.revision.text;
    const g = {
        tool: source.tool,
        object,
        ...(wanted ? { wanted } : {}),
        status: stage.state?.status ?? '',
        workloads: []
    };
    if (stage.end !== 'applied') {
        if (stage.state?.phase === 'failed')
            g.message = stage.state.message;
        return g;
    }
    const s = stage.state;
    g.applied = s.revision ?? '';
    g.appliedAt = seconds(stage.atMs);
    g.workloads = s.workloads.map(w => `${(0,registry/* nameOf */.Vb)(w.ref)} -n ${w.namespace}`);
    if (s.falseAlarm)
        g.falseAlarm = s.falseAlarm;
    return g;
}
function seconds(ms) {
    return Math.round(ms / 100) / 10;
}
/** The workloads' report after the stage's: its timeline first, times counted from the step's start. */
function merge(r, stage, g, applied, title) {
    const offset = seconds(stage.elapsedMs);
    let reason = `${applied}; ${r.reason}`;
    if (g.falseAlarm) {
        const marked = `${title} marked revision ${g.applied} failed ("${g.falseAlarm}")`;
        reason =
            r.verdict === 'success'
                ? `${marked}, a false alarm: its own wait gave up, and ${r.reason}`
                : `${r.reason} (${marked})`;
    }
    return {
        ...r,
        reason,
        elapsedSeconds: Math.round((offset + r.elapsedSeconds) * 10) / 10,
        timeline: [
            ...stage.timeline,
            ...r.timeline.map(t => ({ at: Math.round((offset + t.at) * 10) / 10, text: t.text }))
        ],
        apiErrors: r.apiErrors + stage.apiErrors,
        reads: r.reads + stage.reads,
        gitops: g
    };
}


/***/ })

};
