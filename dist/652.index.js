export const id = 652;
export const ids = [652];
export const modules = {

/***/ 4652:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadManifests: () => (/* binding */ loadManifests),
/* harmony export */   workloadsIn: () => (/* binding */ workloadsIn)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _kinds_registry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5065);
// The line of the applied YAML that needs the change: `image:` for image-pull and stale, resources for
// Insufficient cpu/memory, nodeSelector/affinity, tolerations, the Secret/ConfigMap reference, readinessProbe, and
// livenessProbe/startupProbe for a container the kubelet kills.
// Multi-document files (kubectl, Kustomize and Helm output) included; source positions come from the parser.




const MAX_FILE = 5 * 1024 * 1024;
/** Each finding is located in the document of the workload it belongs to. */
function loadManifests(patterns, workspace, workloads, namespace, container) {
    const problems = [];
    const files = new Set();
    for (const p of patterns) {
        const hits = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.globSync)(p, { cwd: workspace }).map(f => ((0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(f) ? f : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(workspace, f)));
        if (hits.length === 0)
            problems.push(`manifests: "${p}" matches no file`);
        hits.forEach(h => files.add(h));
    }
    const docs = [];
    for (const file of files) {
        let text;
        try {
            const buf = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file);
            if (buf.length > MAX_FILE) {
                problems.push(`manifests: ${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(workspace, file)} is over 5 MiB; skipped`);
                continue;
            }
            text = buf.toString('utf8');
        }
        catch (e) {
            problems.push(`manifests: ${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(workspace, file)} cannot be read (${e.code ?? 'error'})`);
            continue;
        }
        const lines = new yaml__WEBPACK_IMPORTED_MODULE_2__/* .LineCounter */ .HN();
        for (const doc of (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parseAllDocuments */ .hR)(text, { lineCounter: lines, uniqueKeys: false })) {
            if ('errors' in doc && doc.errors.length === 0)
                docs.push({ file: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(workspace, file), doc, lines });
        }
    }
    const targets = new Map();
    for (const w of workloads) {
        const target = docs.find(d => isDocOf(d, w, namespace));
        if (target)
            targets.set((0,_kinds_registry_js__WEBPACK_IMPORTED_MODULE_3__/* .nameOf */ .Vb)(w), target);
        else if (docs.length > 0)
            problems.push(`manifests: no ${(0,_kinds_registry_js__WEBPACK_IMPORTED_MODULE_3__/* .nameOf */ .Vb)(w)} in ${files.size} file(s)`);
    }
    return {
        locate: f => {
            const target = targets.get((0,_kinds_registry_js__WEBPACK_IMPORTED_MODULE_3__/* .nameOf */ .Vb)(f.workload));
            return target ? locateIn(target, f, container) : undefined;
        },
        files: [...files].map(f => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(workspace, f)),
        problems
    };
}
function isDocOf(d, w, namespace) {
    const ns = d.doc.getIn(['metadata', 'namespace']);
    return ((0,_kinds_registry_js__WEBPACK_IMPORTED_MODULE_3__/* .manifestMatches */ .hA)(w, String(d.doc.getIn(['apiVersion']) ?? ''), String(d.doc.getIn(['kind']) ?? '')) &&
        d.doc.getIn(['metadata', 'name']) === w.name &&
        (ns === undefined || ns === namespace));
}
const POD = ['spec', 'template', 'spec'];
function lineOf(d, node) {
    const range = node?.range;
    return range ? d.lines.linePos(range[0]).line : undefined;
}
/** The line of the key itself (`image:`), found through the pair that holds the path's last key. */
function keyLine(d, path) {
    const parent = d.doc.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isMap */ .jh)(parent)) {
        const pair = parent.items.find(p => (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(p.key) && p.key.value === last);
        if (pair)
            return lineOf(d, pair.key);
    }
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isSeq */ .oP)(parent) && typeof last === 'number')
        return lineOf(d, parent.items[last]);
    return undefined;
}
function firstExisting(d, paths) {
    for (const p of paths) {
        if (d.doc.hasIn(p)) {
            const l = keyLine(d, p);
            if (l !== undefined)
                return l;
        }
    }
    return undefined;
}
function containerIndex(d, name) {
    const list = d.doc.getIn([...POD, 'containers']);
    const items = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isSeq */ .oP)(list) ? list.items : [];
    const i = items.findIndex(c => (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isMap */ .jh)(c) && c.get('name') === name);
    return i >= 0 ? i : 0;
}
/** Where the pod spec names `name` as a Secret or ConfigMap. */
function referenceLine(d, name) {
    let found;
    const walk = (node, path) => {
        if (found !== undefined)
            return;
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isMap */ .jh)(node)) {
            for (const pair of node.items) {
                const key = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(pair.key) ? String(pair.key.value) : '';
                if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(pair.value) &&
                    pair.value.value === name &&
                    ['name', 'secretName'].includes(key) &&
                    path.some(p => /secret|configMap/i.test(p))) {
                    found = lineOf(d, pair.value);
                    return;
                }
                walk(pair.value, [...path, key]);
            }
        }
        else if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isSeq */ .oP)(node))
            node.items.forEach(i => walk(i, path));
    };
    walk(d.doc.getIn(POD, true), []);
    return found;
}
function containerCount(d) {
    const list = d.doc.getIn([...POD, 'containers']);
    return (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isSeq */ .oP)(list) ? list.items.length : 0;
}
function locateIn(d, f, container) {
    const named = f.container ?? container;
    // Without a container name, the first container that has the field is the one to change.
    const indexes = named !== undefined ? [containerIndex(d, named)] : Array.from({ length: containerCount(d) }, (_, i) => i);
    for (const i of indexes.length > 0 ? indexes : [0]) {
        const line = locateInContainer(d, f, [...POD, 'containers', i]);
        if (line !== undefined)
            return { file: d.file, startLine: line };
    }
    return undefined;
}
/** Where the scheduler's first reason is fixed: the container's requests, tolerations, affinity or volumes. */
function schedulingLine(d, causes, c) {
    if (causes.has('resources'))
        return firstExisting(d, [
            [...c, 'resources', 'requests'],
            [...c, 'resources']
        ]);
    if (causes.has('taint'))
        return firstExisting(d, [[...POD, 'tolerations'], [...POD, 'nodeSelector'], POD]);
    if (causes.has('node-affinity') || causes.has('pod-affinity'))
        return firstExisting(d, [
            [...POD, 'affinity'],
            [...POD, 'nodeSelector']
        ]);
    if (causes.has('volume'))
        return firstExisting(d, [[...POD, 'volumes']]);
    return undefined;
}
function locateInContainer(d, f, c) {
    switch (f.cause) {
        case 'image-pull':
        case 'invalid-image':
        case 'digest-mismatch':
            return firstExisting(d, [[...c, 'image']]);
        case 'unschedulable':
            return schedulingLine(d, new Set(f.facts.reasons.map(r => r.cause)), c);
        case 'missing-config':
            // The kubelet may write the Secret as namespace/name.
            return referenceLine(d, f.facts.name.split('/').pop());
        case 'probe':
            return firstExisting(d, f.facts.probe === 'Startup'
                ? [[...c, 'startupProbe']]
                : [
                    [...c, 'readinessProbe'],
                    [...c, 'livenessProbe']
                ]);
        case 'crash':
            if (f.facts.killedBy)
                return firstExisting(d, [
                    [...c, f.facts.killedBy.probe === 'Liveness' ? 'livenessProbe' : 'startupProbe']
                ]);
            return f.facts.reason === 'OOMKilled'
                ? firstExisting(d, [
                    [...c, 'resources', 'limits', 'memory'],
                    [...c, 'resources']
                ])
                : undefined;
        case 'replaced':
            return f.facts.resource === 'memory'
                ? firstExisting(d, [
                    [...c, 'resources', 'requests', 'memory'],
                    [...c, 'resources']
                ])
                : undefined;
        case 'pod-failed':
        case 'create-container':
        case 'volume':
        case 'replica-failure':
        case 'sandbox':
        case 'on-delete':
        case 'build':
        case 'controller':
        case 'awaiting-build': // the image line is right: the build has not pushed it yet
            return undefined;
    }
}
/** The workloads the applied YAML holds, as `workload` input lines: the list when `workload` is not given. */
function workloadsIn(patterns, workspace) {
    const out = [];
    for (const p of patterns) {
        for (const f of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.globSync)(p, { cwd: workspace })) {
            let text;
            try {
                text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(f) ? f : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(workspace, f), 'utf8');
            }
            catch {
                continue;
            }
            for (const doc of (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parseAllDocuments */ .hR)(text, { uniqueKeys: false })) {
                if (doc.errors.length > 0)
                    continue;
                const kind = String(doc.getIn(['kind']) ?? '');
                const api = String(doc.getIn(['apiVersion']) ?? '');
                const name = doc.getIn(['metadata', 'name']);
                if (typeof name !== 'string')
                    continue;
                const known = (0,_kinds_registry_js__WEBPACK_IMPORTED_MODULE_3__/* .kindOfManifest */ .r6)(api, kind);
                const k = known ? _kinds_registry_js__WEBPACK_IMPORTED_MODULE_3__/* .KINDS */ .GW[known].noun : undefined;
                if (k && !out.includes(`${k}/${name}`))
                    out.push(`${k}/${name}`);
            }
        }
    }
    return out;
}


/***/ })

};
