export const id = 449;
export const ids = [449];
export const modules = {

/***/ 9449:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderClusters: () => (/* binding */ renderClusters)
/* harmony export */ });
/* harmony import */ var _verdict_table_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7905);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7785);
/* harmony import */ var _safe_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9369);
/* harmony import */ var _terminal_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7496);
// The CLI's verdict over several clusters: the step's verdict and reason, one line per cluster, then each cluster
// that did not roll out as one cluster's verdict.




function renderClusters(out, r, mode = 'wait') {
    const clusters = r.clusters ?? [];
    const width = Math.max(...clusters.map(c => (c.context ?? '').length));
    const vwidth = Math.max(...clusters.map(c => c.verdict.length));
    const lines = [
        `${(0,_terminal_js__WEBPACK_IMPORTED_MODULE_2__/* .paint */ .nI)(out, (0,_terminal_js__WEBPACK_IMPORTED_MODULE_2__/* .verdictColor */ .p6)(r.verdict), (0,_terminal_js__WEBPACK_IMPORTED_MODULE_2__/* .paint */ .nI)(out, 'bold', r.verdict))}  ${(0,_safe_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(r.workload)}${r.namespace ? ` -n ${(0,_safe_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(r.namespace)}` : ''} on ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .count */ .U9)(clusters.length, 'cluster')}  ${(0,_terminal_js__WEBPACK_IMPORTED_MODULE_2__/* .paint */ .nI)(out, 'dim', `(${r.elapsedSeconds}s${r.apiRequests !== undefined ? `, ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .count */ .U9)(r.apiRequests, 'API request')}` : ''})`)}`,
        `  ${(0,_safe_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(r.reason, 2000)}`,
        '',
        ...clusters.map(c => `  ${(0,_safe_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(c.context ?? '').padEnd(width)}  ${(0,_terminal_js__WEBPACK_IMPORTED_MODULE_2__/* .paint */ .nI)(out, (0,_terminal_js__WEBPACK_IMPORTED_MODULE_2__/* .verdictColor */ .p6)(c.verdict), c.verdict.padEnd(vwidth))}  ${(0,_safe_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(c.reason, 300)}`),
        ''
    ];
    for (const c of clusters.filter(c => !(0,_verdict_table_js__WEBPACK_IMPORTED_MODULE_0__/* .rolledOut */ .Tj)(c.verdict)))
        lines.push((0,_terminal_js__WEBPACK_IMPORTED_MODULE_2__/* .paint */ .nI)(out, 'bold', `── ${(0,_safe_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(c.context ?? '')} ──`), (0,_terminal_js__WEBPACK_IMPORTED_MODULE_2__/* .renderVerdict */ .gM)(out, c, mode));
    return lines.join('\n') + '\n';
}


/***/ })

};
