export const id = 481;
export const ids = [481];
export const modules = {

/***/ 3481:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderClusterSummary: () => (/* binding */ renderClusterSummary)
/* harmony export */ });
/* harmony import */ var _safe_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9369);
/* harmony import */ var _verdict_table_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7905);
/* harmony import */ var _next_step_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5780);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7994);




function renderClusterSummary(r) {
    const clusters = r.clusters ?? [];
    const failing = clusters.filter(c => !(0,_verdict_table_js__WEBPACK_IMPORTED_MODULE_0__/* .rolledOut */ .Tj)(c.verdict));
    const head = [
        `## ${_verdict_table_js__WEBPACK_IMPORTED_MODULE_0__/* .VERDICT */ .y3[r.verdict].icon} kube-verdict: \`${r.verdict}\` — ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .count */ .U9)(clusters.length, 'cluster')}`,
        '',
        (0,_safe_js__WEBPACK_IMPORTED_MODULE_3__.md)(r.reason, 2000),
        '',
        `**Next step:** ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .mdStep */ .M6)((0,_next_step_js__WEBPACK_IMPORTED_MODULE_1__/* .nextStepOf */ .Vt)(r))}`,
        '',
        [
            `waited ${r.elapsedSeconds}s`,
            r.apiRequests !== undefined ? (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .count */ .U9)(r.apiRequests, 'API request') : (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .count */ .U9)(r.reads, 'read')
        ].join(' · '),
        '',
        ...clusterTable(clusters),
        ''
    ].join('\n');
    // Each failing cluster gets an even share of what is left under GitHub's limit.
    const share = Math.floor((_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .SUMMARY_LIMIT */ .Jt - Buffer.byteLength(head)) / Math.max(1, failing.length));
    const sections = failing.map(c => (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .renderSummary */ .Br)(c, { limit: share - 200, context: c.context ?? '' }));
    return [head, ...sections].join('\n');
}
/** Rows are clusters, columns the workloads any of them verified; a cluster that read none shows its own verdict. */
function clusterTable(clusters) {
    const cells = clusters.map(cellsOf);
    const columns = [...new Set(cells.flatMap(c => [...c.keys()]))];
    const show = (c) => `${_verdict_table_js__WEBPACK_IMPORTED_MODULE_0__/* .VERDICT */ .y3[c.verdict].icon} \`${c.verdict}\`${(0,_verdict_table_js__WEBPACK_IMPORTED_MODULE_0__/* .rolledOut */ .Tj)(c.verdict) ? '' : `: ${(0,_safe_js__WEBPACK_IMPORTED_MODULE_3__.md)(c.reason, 120)}`}`;
    return [
        `| cluster | ${columns.map(w => (0,_safe_js__WEBPACK_IMPORTED_MODULE_3__/* .mdCode */ .xs)(w)).join(' | ')} |`,
        `|---|${columns.map(() => '---|').join('')}`,
        ...clusters.map((c, i) => {
            const row = columns.map(w => show(cells[i].get(w) ?? { verdict: c.verdict, reason: c.reason }));
            return `| ${(0,_safe_js__WEBPACK_IMPORTED_MODULE_3__/* .mdCode */ .xs)(c.context ?? '')} | ${row.join(' | ')} |`;
        })
    ];
}
function cellsOf(r) {
    // A cluster that was never read names no workload of its own.
    if (_verdict_table_js__WEBPACK_IMPORTED_MODULE_0__/* .VERDICT */ .y3[r.verdict].read !== 'cluster' && !r.workloads)
        return new Map();
    const list = r.workloads ?? [{ workload: r.workload, verdict: r.verdict, reason: r.reason }];
    return new Map(list.map(w => [w.workload, { verdict: w.verdict, reason: w.reason }]));
}


/***/ })

};
