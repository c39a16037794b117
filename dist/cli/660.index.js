export const id = 660;
export const ids = [660];
export const modules = {

/***/ 660:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  verifyGitops: () => (/* binding */ verifyGitops)
});

// UNUSED EXPORTS: lookAgain

// EXTERNAL MODULE: ./src/wait.ts
var wait = __webpack_require__(910);
// EXTERNAL MODULE: ./src/kinds/registry.ts + 10 modules
var registry = __webpack_require__(5065);
// EXTERNAL MODULE: ./src/report/report.ts
var report = __webpack_require__(8850);
// EXTERNAL MODULE: ./src/verify.ts + 20 modules
var verify = __webpack_require__(9388);
// EXTERNAL MODULE: ./src/kube/api.ts
var api = __webpack_require__(985);
// EXTERNAL MODULE: ./src/kube/collection.ts
var collection = __webpack_require__(5477);
// EXTERNAL MODULE: ./src/kube/access.ts
var access = __webpack_require__(4979);
// EXTERNAL MODULE: ./src/gitops/revision.ts
var gitops_revision = __webpack_require__(2927);
;// CONCATENATED MODULE: ./src/gitops/supersede.ts
// Whether the deploy tool moved past the revision a step waits for. Only an order the tool itself shows is
// believed: Argo CD's history, Flux's lastAppliedRevision before its lastAttemptedRevision, Helm's revision numbers,
// or the wait having seen the tool at the wanted revision before another. Two commits seen without such an order
// cannot be told apart (a SHA says nothing of which is newer): that is only said, never decided. Pure.

/** A trail with one more of the tool's revisions, in the order seen (repeats in a row dropped). */
function extendTrail(trail, revision) {
    if (!revision || trail.at(-1) === revision)
        return [...trail];
    return [...trail, revision];
}
/** The revision the tool reached after the wanted one, in a sequence ordered oldest first; undefined if none. */
function movedPast(sequence, want) {
    const known = sequence.filter((r) => Boolean(r));
    const i = known.findIndex(r => (0,gitops_revision/* revisionMatches */.Ne)(r, want));
    if (i < 0)
        return undefined;
    const last = known.at(-1);
    return (0,gitops_revision/* revisionMatches */.Ne)(last, want) ? undefined : last;
}
/**
 * What the wait saw when the tool went from one revision to another without the wanted one: said at the deadline,
 * since nothing orders two commits (the other may be older, or newer and include the wanted change).
 */
function seenWithout(trail, want) {
    if (trail.length < 2 || trail.some(r => (0,gitops_revision/* revisionMatches */.Ne)(r, want)))
        return undefined;
    const path = trail.map(gitops_revision/* shortRevision */.w7).join(' → ');
    return `went ${path} during the wait and never to ${want.text}; nothing it shows orders these commits, so ${(0,gitops_revision/* shortRevision */.w7)(trail.at(-1))} may be older, or newer and include it`;
}
/** `seenWithout` for a trail and the revision the tool is at now, as a field of the waiting state. */
function seenNote(trail, now, want) {
    const text = want ? seenWithout(extendTrail(trail, now), want) : undefined;
    return text ? { seen: text } : {};
}

;// CONCATENATED MODULE: ./src/gitops/argocd.ts
// An Argo CD Application, read as Argo CD writes it (argoproj.io/v1alpha1): status.sync {status, revision,
// revisions} (revisions for multi-source apps), status.operationState {phase, message, operation.sync.revision,
// syncResult.revision(s)}, status.history[] (one entry per finished sync, oldest first, ids rising), status.conditions
// (SyncError, ComparisonError, …), status.resources[]. Pure.



const ERRORS = new Set(['SyncError', 'ComparisonError']);
function revs(s) {
    return [s?.revision, ...(s?.revisions ?? [])].filter((r) => Boolean(r));
}
function names(rs, want) {
    return want ? rs.some(r => (0,gitops_revision/* revisionMatches */.Ne)(r, want)) : true;
}
/** The revision Argo CD is at or working on: the last sync operation's, else the one it compared with. */
function argoAttempt(app) {
    const op = app?.status?.operationState;
    return revs(op?.operation?.sync)[0] ?? revs(op?.syncResult)[0] ?? revs(app?.status?.sync)[0];
}
/** Argo CD moved past the wanted revision: its history, or the revisions this wait saw, order them. */
function superseded(app, want, trail, status) {
    const now = argoAttempt(app);
    const history = [...(app.status?.history ?? [])].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
    const byHistory = movedPast([...history.map(h => revs(h)[0]), now], want);
    const byTrail = byHistory ? undefined : movedPast([...trail, now], want);
    const by = byHistory ?? byTrail;
    if (!by)
        return undefined;
    return {
        phase: 'superseded',
        status,
        wanted: want.text,
        by,
        evidence: byHistory
            ? `its history shows ${(0,gitops_revision/* shortRevision */.w7)(want.text)} applied, then ${(0,gitops_revision/* shortRevision */.w7)(by)}`
            : `this wait saw it at ${(0,gitops_revision/* shortRevision */.w7)(want.text)}, then at ${(0,gitops_revision/* shortRevision */.w7)(by)}`
    };
}
/** `trail`: the revisions Argo CD was seen at (argoAttempt) by the earlier reads of this wait, oldest first. */
function argoStage(app, label, want, trail = []) {
    if (!app)
        return { phase: 'absent', status: `Argo CD Application ${label} does not exist` };
    const st = app.status ?? {};
    const synced = revs(st.sync);
    const op = st.operationState;
    const opRevs = [...revs(op?.syncResult), ...revs(op?.operation?.sync)];
    const at = synced[0] ? ` at ${synced.map(gitops_revision/* shortRevision */.w7).join(', ')}` : '';
    const status = `${st.sync?.status ?? 'Unknown'}, ${st.health?.status ?? 'Unknown'}${at}${op?.phase ? `; last sync ${op.phase}` : ''}`;
    const gone = want ? superseded(app, want, trail, status) : undefined;
    if (gone)
        return gone;
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
        ...(running && op?.message ? { problem: op.message } : {}),
        ...seenNote(trail, argoAttempt(app), want)
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



/**
 * Ready=False reasons that end the attempt at a revision; others (DependencyNotReady, Progressing,
 * HealthCheckCanceled) wait. HealthCheckFailed is Flux's own clock running out: the pods are verified instead.
 */
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
/** While Flux runs its health checks (Reconciling=True), the revision's objects are applied already. */
const HEALTH_CHECKS = /^Running health checks for revision (\S+)/;
/** Flux moved past the wanted revision: it applied it before another attempt, or this wait saw it so. */
function flux_superseded(st, want, trail, status) {
    const byStatus = movedPast([st.lastAppliedRevision, st.lastAttemptedRevision], want);
    const by = byStatus ?? movedPast([...trail, st.lastAttemptedRevision], want);
    if (!by)
        return undefined;
    return {
        phase: 'superseded',
        status,
        wanted: want.text,
        by,
        evidence: byStatus
            ? `its lastAppliedRevision is ${(0,gitops_revision/* shortRevision */.w7)(want.text)} and its lastAttemptedRevision ${(0,gitops_revision/* shortRevision */.w7)(by)}`
            : `this wait saw it attempt ${(0,gitops_revision/* shortRevision */.w7)(want.text)}, then ${(0,gitops_revision/* shortRevision */.w7)(by)}`
    };
}
/**
 * Keyed on lastAttemptedRevision, as kustomize-controller writes it: it applies a revision, then (with wait or
 * healthChecks) runs its health checks, and only then moves lastAppliedRevision. `trail`: the lastAttemptedRevision
 * of this wait's earlier reads, oldest first.
 */
function fluxStage(ks, label, want, trail = []) {
    if (!ks)
        return { phase: 'absent', status: `Flux Kustomization ${label} does not exist` };
    const st = ks.status ?? {};
    const cond = (type) => (st.conditions ?? []).find(c => c.type === type);
    const ready = cond('Ready');
    const applied = st.lastAppliedRevision;
    const attempted = st.lastAttemptedRevision;
    const status = `Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` ${ready.reason}` : ''}${applied ? ` at ${(0,gitops_revision/* shortRevision */.w7)(applied)}` : ''}`;
    const gone = want ? flux_superseded(st, want, trail, status) : undefined;
    if (gone)
        return gone;
    const matches = (r) => (want ? (0,gitops_revision/* revisionMatches */.Ne)(r, want) : true);
    const generation = ks.metadata.generation ?? 0;
    const observed = (st.observedGeneration ?? -1) >= generation;
    const failed = observed && ready?.status === 'False' && FAILED.has(ready.reason ?? '') && matches(attempted);
    // Flux's health check gave up on its own clock (spec.timeout): the objects were applied; the pods decide.
    if (failed && ready.reason === 'HealthCheckFailed')
        return {
            phase: 'applied',
            status,
            ...(attempted ? { revision: attempted } : {}),
            ...inventoryOf(ks),
            falseAlarm: `${ready.reason}: ${ready.message ?? ''}`
        };
    if (failed)
        return {
            phase: 'failed',
            status,
            ...(attempted ? { revision: attempted } : {}),
            message: `${ready.reason}: ${ready.message ?? ''}`
        };
    if (observed && ready?.status === 'True' && applied && matches(applied))
        return { phase: 'applied', status, revision: applied, ...inventoryOf(ks) };
    const checking = cond('Reconciling');
    const checked = HEALTH_CHECKS.exec(checking?.status === 'True' ? (checking.message ?? '') : '')?.[1];
    if (checked &&
        checked === attempted &&
        matches(checked) &&
        (checking?.observedGeneration ?? generation) >= generation)
        return { phase: 'applied', status, revision: checked, ...inventoryOf(ks) };
    const problem = ready?.status === 'False' && ready.message
        ? `${ready.reason ?? 'Ready=False'}: ${ready.message}`
        : undefined;
    return {
        phase: 'waiting',
        status,
        waitingFor: `Flux to apply ${want ? `revision ${want.text}` : 'the current revision'} with Kustomization ${label} (it is ${status}${observed ? '' : ', generation not observed yet'})`,
        ...(problem ? { problem } : {}),
        ...seenNote(trail, attempted, want)
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
    // Helm numbers revisions in the order it makes them: a higher one came after (an upgrade, or a rollback).
    if (want !== undefined && newest.version > want)
        return {
            phase: 'superseded',
            status: at,
            wanted: String(want),
            by: String(newest.version),
            evidence: `Helm made revision ${newest.version} after it (${newest.status})`
        };
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

;// CONCATENATED MODULE: ./src/gitops/helmrelease.ts
// A Flux HelmRelease, read as helm-controller writes it (helm.toolkit.fluxcd.io/v2): status.history (release
// snapshots, newest first: name, namespace, version, status, chartName, chartVersion, configDigest),
// lastAttemptedRevision (the chart version) and lastAttemptedConfigDigest, the Ready, Released and Remediated
// conditions (reasons InstallSucceeded, UpgradeSucceeded, InstallFailed, UpgradeFailed, RollbackSucceeded,
// UninstallSucceeded, …), status.storageNamespace. The workloads are those of the release's manifest, in Helm's
// storage (the record of history[0]). Pure.

/** Helm's own wait gave up inside helm-controller (its spec.timeout): the objects were applied; the pods decide. */
const helmrelease_WAIT_GAVE_UP = /timeout waiting for:|timed out waiting for the condition|context deadline exceeded/i;
/** The chart version (`1.4.2`), or the values' config digest (`sha256:…`), that the step waits for. */
function snapshotMatches(s, want) {
    if (!s)
        return false;
    return want.startsWith('sha256:') ? s.configDigest === want : s.chartVersion === want;
}
/** The release as words: `web@1.4.2 (release v3)`. */
function snapshotWords(s) {
    return `${s.chartName ?? 'chart'}@${s.chartVersion ?? '?'} (release v${s.version ?? '?'})`;
}
/** Helm's storage Secret of the newest snapshot: the release name and version, in the storage namespace. */
function storageOf(hr) {
    const h = hr.status?.history?.[0];
    if (!h?.name || !h.version)
        return undefined;
    const namespace = hr.status?.storageNamespace || h.namespace || hr.metadata.namespace || 'default';
    return { namespace, release: h.name, version: h.version };
}
/** A newer snapshot than the one asked for: helm-controller's history is newest first. */
function helmrelease_superseded(h, want, status) {
    const at = h.findIndex(s => snapshotMatches(s, want));
    if (at <= 0 || snapshotMatches(h[0], want))
        return undefined;
    return {
        phase: 'superseded',
        status,
        wanted: want,
        by: snapshotWords(h[0]),
        evidence: `its history lists ${snapshotWords(h[0])} after ${snapshotWords(h[at])}`
    };
}
function standing(hr, want, status) {
    const st = hr.status ?? {};
    const cond = (type) => (st.conditions ?? []).find(c => c.type === type);
    const [ready, released, remediated] = [cond('Ready'), cond('Released'), cond('Remediated')];
    const history = st.history ?? [];
    const observed = (st.observedGeneration ?? -1) >= (hr.metadata.generation ?? 0);
    const last = { chartVersion: st.lastAttemptedRevision, configDigest: st.lastAttemptedConfigDigest };
    const attempted = observed && (!want || snapshotMatches(last, want));
    const failure = released?.status === 'False' ? `${released.reason ?? 'Released=False'}: ${released.message ?? ''}` : '';
    if (attempted && remediated?.status === 'True')
        return {
            is: 'failed',
            message: `Flux remediated the release (${remediated.reason ?? 'Remediated'}: ${remediated.message ?? ''})${failure ? ` after ${failure}` : ''}`
        };
    // A rollback by remediation makes a newer release too: that is the attempt's failure, said above.
    const gone = want ? helmrelease_superseded(history, want, status) : undefined;
    if (gone)
        return { is: 'superseded', state: gone };
    if (attempted && failure)
        return helmrelease_WAIT_GAVE_UP.test(released?.message ?? '')
            ? { is: 'released', falseAlarm: failure }
            : { is: 'failed', message: failure };
    const h = history[0];
    if (observed && ready?.status === 'True' && h?.status === 'deployed' && (!want || snapshotMatches(h, want)))
        return { is: 'released' };
    return { is: 'waiting', observed };
}
/** Whether the release record must be read to decide (the release is out: its manifest names the workloads). */
function wantsRecord(hr, want) {
    return hr !== undefined && standing(hr, want, '').is === 'released';
}
/**
 * `record`: the decoded release record of history[0] (its manifest names the workloads); undefined while it was
 * not read.
 */
function helmReleaseStage(hr, label, want, record) {
    if (!hr)
        return { phase: 'absent', status: `Flux HelmRelease ${label} does not exist` };
    const ready = (hr.status?.conditions ?? []).find(c => c.type === 'Ready');
    const h = hr.status?.history?.[0];
    const status = `Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` ${ready.reason}` : ''}${h ? ` at ${snapshotWords(h)}: ${h.status ?? '?'}` : ''}`;
    const withRevision = h ? { revision: snapshotWords(h) } : {};
    const at = standing(hr, want, status);
    if (at.is === 'superseded')
        return at.state;
    // A failure is the attempt's: the newest release of the attempted chart (a rollback made a newer one).
    const tried = hr.status?.history?.find(s => s.chartVersion === hr.status?.lastAttemptedRevision) ?? h;
    if (at.is === 'failed')
        return {
            phase: 'failed',
            status,
            ...(tried ? { revision: snapshotWords(tried) } : {}),
            message: at.message
        };
    if (at.is === 'released' && record) {
        const ns = record.namespace ?? h?.namespace ?? 'default';
        return {
            phase: 'applied',
            status,
            ...withRevision,
            ...workloadsOfManifest(record.manifest, ns),
            ...(at.falseAlarm ? { falseAlarm: at.falseAlarm } : {})
        };
    }
    const observed = at.is === 'waiting' ? at.observed : true;
    return {
        phase: 'waiting',
        status,
        waitingFor: `Flux to release ${want ?? 'the current spec'} with HelmRelease ${label} (it is ${status}${observed ? '' : ', generation not observed yet'}${at.is === 'released' ? '; its release record is not readable yet' : ''})`,
        ...(ready?.status === 'False' && ready.message
            ? { problem: `${ready.reason ?? 'Ready=False'}: ${ready.message}` }
            : {})
    };
}

// EXTERNAL MODULE: ./src/gitops/stage.ts
var gitops_stage = __webpack_require__(1994);
;// CONCATENATED MODULE: ./src/gitops/read.ts
// Reads what the deploy tool wrote and hands it to the stage's pure decision. The tool's object (the Application,
// the Kustomization, Helm's release storage) is listed once and watched: a change wakes the wait, and a read of
// the cache costs no request. Where RBAC grants only get (list and watch refused), it is read with a GET each time.
// Helm's revisions are listed and watched as metadata only (labels, no release data); only the newest deployed or
// failed one is fetched and decoded, once per resourceVersion, and nothing of it but status, description and
// manifest is kept.









const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
/** Only what the stage reads of a Helm storage object (its watch events carry the release data too). */
function metadataOnly(o) {
    const m = o.metadata;
    return {
        metadata: {
            name: m.name,
            ...(m.namespace ? { namespace: m.namespace } : {}),
            ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
            ...(m.labels ? { labels: m.labels } : {})
        }
    };
}
class StageReader {
    api;
    source;
    namespace;
    onChange;
    cached;
    /** The revisions Argo CD or Flux was seen at by this wait's reads, oldest first: their order in time. */
    trail = [];
    /** The watched object or storage; undefined until the first read, or once list/watch was refused. */
    watched;
    /** List or watch refused (RBAC with get only): read with a request each time. */
    polled = false;
    constructor(api, source, 
    /** The step's namespace: Helm's release namespace when the source names none. */
    namespace, 
    /** Called on each change of the watched object: wakes the wait. */
    onChange = () => { }) {
        this.api = api;
        this.source = source;
        this.namespace = namespace;
        this.onChange = onChange;
    }
    /** The tool's object as fields: its namespace and name (the ones `object` shows). */
    get at() {
        const s = this.source;
        return s.tool === 'helm'
            ? { namespace: this.namespace, name: s.release }
            : { namespace: s.namespace, name: s.name };
    }
    /** `Helm release shop/web`, `Argo CD Application argocd/shop`. */
    get object() {
        const s = this.source;
        if (s.tool === 'helm')
            return `Helm release ${this.namespace}/${s.release}`;
        return `${gitops_stage/* OBJECT_KIND */.PH[s.tool]} ${s.namespace}/${s.name}`;
    }
    /** Stops the watch: after the last read of the step. */
    stop() {
        this.watched?.stop();
    }
    async read() {
        const s = this.source;
        if (s.tool === 'helm')
            return this.readHelm(s);
        if (s.tool === 'flux-helmrelease')
            return this.readHelmRelease(s);
        const argo = s.tool === 'argocd';
        const group = argo ? 'argoproj.io' : 'kustomize.toolkit.fluxcd.io';
        const plural = argo ? 'applications' : 'kustomizations';
        const list = `/apis/${group}/${argo ? 'v1alpha1' : 'v1'}/namespaces/${s.namespace}/${plural}`;
        const where = { list, query: { fieldSelector: `metadata.name=${s.name}` }, plural, group };
        const objs = await this.objects({ ...where, get: `${list}/${s.name}`, namespace: s.namespace });
        const label = `${s.namespace}/${s.name}`;
        if (argo) {
            const app = objs[0];
            const state = argoStage(app, label, s.revision, this.trail);
            this.trail = extendTrail(this.trail, argoAttempt(app));
            return state;
        }
        const ks = objs[0];
        const state = fluxStage(ks, label, s.revision, this.trail);
        this.trail = extendTrail(this.trail, ks?.status?.lastAttemptedRevision);
        return state;
    }
    /**
     * The source's objects: from the watched cache, else by a request. A missing object, or a CRD that is not
     * installed (404), is "not there (yet)".
     */
    async objects(w, accept, trim) {
        if (!this.polled) {
            this.watched ??= new collection/* Collection */.p(this.api, w.list, w.query, this.onChange, {
                trim,
                ...(accept ? { accept } : {})
            });
            try {
                await this.watched.sync();
                return this.watched.objects;
            }
            catch (e) {
                if (e instanceof api/* ApiError */.hD && e.status === 404)
                    return [];
                if (!(e instanceof api/* ApiError */.hD && e.status === 403))
                    throw (0,access/* fatal */.h2)(e, `the ${w.plural}`, hint('list', w));
                this.polled = true;
                this.watched.stop();
                this.watched = undefined;
            }
        }
        try {
            if (w.get)
                return [await this.api.get(w.get)];
            const listed = await this.api.list(w.list, w.query, {
                maxPages: 4,
                ...(accept ? { accept } : {})
            });
            return listed.items;
        }
        catch (e) {
            if (e instanceof api/* ApiError */.hD && e.status === 404)
                return [];
            throw (0,access/* fatal */.h2)(e, `the ${w.plural}`, hint(w.get ? 'get' : 'list', w));
        }
    }
    async readHelmRelease(s) {
        const [group, plural] = ['helm.toolkit.fluxcd.io', 'helmreleases'];
        const list = `/apis/${group}/v2/namespaces/${s.namespace}/${plural}`;
        const where = { list, query: { fieldSelector: `metadata.name=${s.name}` }, plural, group };
        const hr = (await this.objects({ ...where, get: `${list}/${s.name}`, namespace: s.namespace }))[0];
        const label = `${s.namespace}/${s.name}`;
        // The release record (its manifest names the workloads) of the newest snapshot, once Flux has released it.
        const store = hr && wantsRecord(hr, s.revision) ? storageOf(hr) : undefined;
        const record = store
            ? await this.helmRecord({ tool: 'helm', release: store.release, driver: 'secret' }, `/api/v1/namespaces/${store.namespace}/secrets`, {
                object: `sh.helm.release.v1.${store.release}.v${store.version}`,
                version: store.version,
                status: 'deployed',
                rv: ''
            }, 'secrets', store.namespace)
            : undefined;
        return helmReleaseStage(hr, label, s.revision, record);
    }
    async readHelm(s) {
        const ns = s.namespace ?? this.namespace;
        const plural = s.driver === 'secret' ? 'secrets' : 'configmaps';
        const base = `/api/v1/namespaces/${ns}/${plural}`;
        const where = { list: base, query: { labelSelector: `owner=helm,name=${s.release}` }, plural, group: '' };
        const list = await this.objects({ ...where, namespace: ns }, METADATA_LIST, metadataOnly);
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
        // A revision other than the one asked for is decided by its number alone: its record is not read.
        const judged = newest && (s.revision === undefined || newest.version === s.revision);
        const record = judged && needsRecord(newest.status) ? await this.helmRecord(s, base, newest, plural, ns) : undefined;
        return helmStage(s.release, ns, newest, record, s.revision);
    }
    /** The newest revision's release record, fetched and decoded once per resourceVersion. */
    async helmRecord(s, base, newest, plural, ns) {
        const key = `${newest.object}@${newest.rv}`;
        if (this.cached?.key === key)
            return this.cached.record;
        let obj;
        try {
            obj = await this.api.get(`${base}/${newest.object}`);
        }
        catch (e) {
            if (!(e instanceof api/* ApiError */.hD && e.status === 404))
                throw (0,access/* fatal */.h2)(e, `Helm's release storage`, (0,access/* rbacHint */.Wy)('get', plural, '', ns));
        }
        const data = obj?.data?.release;
        if (!data)
            return undefined;
        const record = decodeRelease(storedRelease(s.driver, data));
        this.cached = { key, record };
        return record;
    }
}
function hint(verb, w) {
    return (0,access/* rbacHint */.Wy)(verb === 'list' ? 'list and watch' : verb, w.plural, w.group, w.namespace);
}

// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(9810);
;// CONCATENATED MODULE: ./src/gitops/wait.ts
// The GitOps stage's wait: read what the tool shows → decide (pure) → until the change is applied, the tool has
// failed or moved past it, or the deadline, on the one loop the workloads share (src/poll.ts). API trouble is
// retried and never becomes a verdict; refused credentials end it.


/** `Argo CD applied 9a8b7c6`, `Helm applied revision 4`. */
function appliedText(tool, revision) {
    return `${gitops_stage/* TOOL_TITLE */.uj[tool]} applied ${revision ? (0,gitops_stage/* revisionWords */.XZ)(tool, revision) : 'the change'}`;
}
/** The reason of `superseded`: both revisions, and how the tool's own order shows it. */
function supersededText(tool, s) {
    const [wanted, by] = [(0,gitops_stage/* revisionWords */.XZ)(tool, s.wanted), (0,gitops_stage/* revisionWords */.XZ)(tool, s.by)];
    return `${gitops_stage/* TOOL_TITLE */.uj[tool]} applied ${by} after ${wanted}, the revision this step waits for (${s.evidence}): ${wanted} was superseded before it could be verified`;
}
/** The end a stage state makes, if it makes one. */
function endOf(tool, s, atMs) {
    const title = gitops_stage/* TOOL_TITLE */.uj[tool];
    if (s.phase === 'applied')
        return { end: 'applied', state: s, atMs };
    if (s.phase === 'superseded')
        return { end: 'superseded', reason: supersededText(tool, s), state: s };
    if (s.phase !== 'failed')
        return undefined;
    const what = s.revision ? (0,gitops_stage/* revisionWords */.XZ)(tool, s.revision) : 'the change';
    return { end: 'apply-failed', reason: `${title} could not apply ${what}: ${s.message}`, state: s };
}
/** The milestone an end makes in the timeline. */
function endNote(tool, e) {
    const title = gitops_stage/* TOOL_TITLE */.uj[tool];
    const s = e.state;
    if (e.end === 'applied')
        return appliedText(tool, e.state.revision);
    if (s?.phase === 'superseded')
        return `${title} moved on to ${(0,gitops_stage/* revisionWords */.XZ)(tool, s.by)}`;
    const revision = s?.phase === 'failed' ? s.revision : undefined;
    return `${title} could not apply ${revision ? (0,gitops_stage/* revisionWords */.XZ)(tool, revision) : 'the change'}`;
}
/** The stage on the one wait loop (src/poll.ts): its read deadline, never-reached limit, backoff and retries. */
async function waitForStage(o) {
    const now = o.now ?? Date.now;
    const start = now();
    const title = gitops_stage/* TOOL_TITLE */.uj[o.tool];
    const timeline = [];
    let last;
    let ended;
    let absentSince;
    const note = (text) => {
        const m = { at: Math.round((now() - start) / 100) / 10, text };
        if (timeline.length < 100)
            timeline.push(m);
        o.onStage?.(m.at, text);
    };
    const look = (s) => {
        if (!last || last.status !== s.status || last.phase !== s.phase)
            note(`${title}: ${s.status}`);
        const changed = last?.phase !== s.phase;
        last = s;
        ended = endOf(o.tool, s, now() - start);
        if (ended) {
            note(endNote(o.tool, ended));
            return { done: true };
        }
        if (s.phase !== 'absent') {
            absentSince = undefined;
            return { done: false, reset: changed };
        }
        absentSince ??= now();
        const left = absentSince + o.graceMs - now();
        if (left > 0)
            return { done: false, withinMs: left, reset: changed };
        ended = { end: 'not-found', reason: s.status, state: s };
        return { done: true };
    };
    const polled = await (0,poll/* pollUntil */.g3)({
        timeoutMs: o.timeoutMs,
        read: () => o.read(),
        look,
        ...(o.onApiError ? { onApiError: o.onApiError } : {}),
        now,
        ...(o.sleep ? { sleep: o.sleep } : {})
    });
    const done = (e) => ({
        ...e,
        elapsedMs: polled.elapsedMs,
        timeline,
        apiErrors: polled.apiErrors,
        reads: polled.reads
    });
    if (polled.end === 'unreachable')
        return done({ end: 'unreachable', reason: polled.reason });
    if (polled.end === 'done')
        return done(ended);
    return done(atDeadline(title, last, o.timeoutMs));
}
/** `timeout`: what the stage still waited for, the tool's error meanwhile, and what it was seen at. */
function atDeadline(title, last, timeoutMs) {
    const secs = Math.round(timeoutMs / 1000);
    const waitingFor = last.phase === 'waiting' ? last.waitingFor : last.status;
    const problem = last.phase === 'waiting' && last.problem ? `; ${title} says: ${last.problem}` : '';
    const seen = last.phase === 'waiting' && last.seen ? `; ${title} ${last.seen}` : '';
    return {
        end: 'timeout',
        reason: `deadline of ${secs}s passed while waiting for ${waitingFor}${problem}${seen}`,
        state: last
    };
}

;// CONCATENATED MODULE: ./src/gitops/run.ts







/** Below this, no workload could be verified in what is left of the deadline. */
const MIN_VERIFY_MS = 1_000;
async function verifyGitops(settings, source, env, hooks) {
    const started = Date.now();
    const { api, namespace } = (0,verify/* openApi */.Nd)(settings, env, hooks, (0,verify/* workloadLabel */.Uq)(settings));
    // The tool's object is watched: a change wakes the wait. The watch lasts to the last look after the workloads.
    const waker = new wait/* Waker */.b5();
    const reader = new StageReader(api, source, namespace, waker.wake);
    try {
        return await stageThenWorkloads(settings, source, hooks, { api, namespace, reader, waker, started });
    }
    finally {
        setImmediate(() => reader.stop());
    }
}
async function stageThenWorkloads(settings, source, hooks, c) {
    const { api, namespace, reader, started } = c;
    const tool = source.tool;
    const stage = await waitForStage({
        tool,
        timeoutMs: settings.timeoutMs,
        graceMs: settings.graceMs,
        read: () => reader.read(),
        sleep: c.waker.sleep,
        ...(hooks.onStage ? { onStage: hooks.onStage } : {}),
        ...(hooks.onApiError ? { onApiError: hooks.onApiError } : {})
    });
    const g = gitopsReport(source, reader, stage);
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
    const applied = `${appliedText(tool, s.revision)}${g.wanted ? '' : unchecked}`;
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
    const r = merge(await (0,verify/* verifyLocated */.ev)(rest, s.workloads, api, hooks), stage, g, applied, tool);
    return source.revision === undefined ? r : lookAgain(r, reader, tool, started);
}
/** The look after the workloads' verdict is one read; a tool that does not answer in this time changes nothing. */
const LOOK_AGAIN_MS = 3_000;
/**
 * The tool read once more after the workloads' verdict: a revision applied after the wanted one meanwhile makes a
 * success or a timeout `superseded` (the pods verified may be the newer revision's); a failure stays, with a note.
 */
async function lookAgain(r, reader, tool, started) {
    let timer;
    const late = new Promise(res => (timer = setTimeout(() => res(undefined), LOOK_AGAIN_MS)));
    const again = await Promise.race([reader.read(), late])
        .catch(() => undefined)
        .finally(() => clearTimeout(timer));
    if (again?.phase !== 'superseded')
        return r;
    const moved = `${gitops_stage/* TOOL_TITLE */.uj[tool]} moved on to ${(0,gitops_stage/* revisionWords */.XZ)(tool, again.by)}`;
    const gitops = { ...r.gitops, status: again.status, supersededBy: again.by };
    const timeline = [...r.timeline, { at: seconds(Date.now() - started), text: moved }];
    if (r.verdict !== 'success' && r.verdict !== 'timeout')
        return { ...r, reason: `${r.reason} (then ${moved})`, gitops, timeline };
    return {
        ...r,
        verdict: 'superseded',
        reason: `${supersededText(tool, again)}; the workloads had shown: ${r.reason}`,
        gitops,
        timeline
    };
}
/** The stage as the report shows it (the `report` output's `gitops`). */
function gitopsReport(source, reader, stage) {
    const wanted = source.revision === undefined
        ? undefined
        : typeof source.revision === 'object'
            ? source.revision.text
            : String(source.revision);
    const g = {
        tool: source.tool,
        object: reader.object,
        ...reader.at,
        ...(wanted ? { wanted } : {}),
        status: stage.state?.status ?? '',
        workloads: []
    };
    if (stage.end !== 'applied') {
        if (stage.state?.phase === 'failed')
            g.message = stage.state.message;
        if (stage.state?.phase === 'superseded')
            g.supersededBy = stage.state.by;
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
function merge(r, stage, g, applied, tool) {
    const offset = seconds(stage.elapsedMs);
    let reason = `${applied}; ${r.reason}`;
    if (g.falseAlarm) {
        const marked = `${gitops_stage/* TOOL_TITLE */.uj[tool]} marked ${(0,gitops_stage/* revisionWords */.XZ)(tool, g.applied ?? '')} failed ("${g.falseAlarm}")`;
        reason =
            r.verdict === 'success'
                ? `${marked}, a false alarm: ${gitops_stage/* OWN_CLOCK */.i$[tool]} gave up on its own clock, and ${r.reason}`
                : `${r.reason} (${marked}: ${gitops_stage/* OWN_CLOCK */.i$[tool]} gave up on its own clock; the pods say what happened)`;
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
