import type { DriftWindowResult, PerformanceWindowResult } from '@mlops/contracts';

export interface WindowReport {
  drift: DriftWindowResult;
  performance: PerformanceWindowResult | null;
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const number = (value: number | null | undefined) => (value === null || value === undefined ? '' : Number.isInteger(value) ? String(value) : value.toPrecision(4));

/** A self-contained page per window: the verdicts, then one table row per feature and prediction column. */
export function windowReportHtml(report: WindowReport): string {
  const { drift, performance } = report;
  const rows = [...drift.features.map((f) => ['feature', f] as const), ...drift.predictions.map((f) => ['prediction', f] as const)]
    .map(
      ([kind, f]) =>
        `<tr class="${f.drifted ? 'drift' : ''}"><td>${kind}</td><td>${escape(f.feature)}</td><td>${f.test}</td><td>${number(f.statistic)}</td>` +
        `<td>${number(f.pValue)}</td><td>${number(f.adjustedPValue)}</td><td>${number(f.threshold)}</td><td>${number(f.psi)}</td><td>${f.drifted ? 'yes' : 'no'}</td></tr>`,
    )
    .join('\n');
  const estimated = performance?.estimated
    ? `<p>Estimated (CBPE): accuracy ${number(performance.estimated.accuracy.value)} [${number(performance.estimated.accuracy.lower)}, ${number(performance.estimated.accuracy.upper)}], ` +
      `ROC AUC ${number(performance.estimated.rocAuc.value)} [${number(performance.estimated.rocAuc.lower)}, ${number(performance.estimated.rocAuc.upper)}]</p>`
    : '';
  const dataset = drift.dataset
    ? `<p>Dataset drift: <b>${drift.dataset.drifted ? 'yes' : 'no'}</b> (${number(drift.dataset.driftedShare * 100)}% of features drifted, threshold ${number(drift.dataset.shareThreshold * 100)}%); ` +
      `Benjamini-Hochberg at q=${drift.dataset.fdr.q}: ${drift.dataset.fdr.discoveries.length ? escape(drift.dataset.fdr.discoveries.join(', ')) : 'no discoveries'}</p>`
    : '<p>No reference profile for this version: nothing to compare with.</p>';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Drift report ${escape(drift.windowId)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:nth-child(-n+3){text-align:left}tr.drift{background:#fdd}</style></head>
<body><h1>${escape(drift.modelName)} v${drift.version} (${drift.role})</h1>
<p>Window ${escape(drift.windowId)}: ${drift.window.from} to ${drift.window.to}, ${drift.rows} predictions; reference ${drift.referenceRows ?? 'none'} rows.</p>
${dataset}
${estimated}
<table><tr><th>column</th><th>name</th><th>test</th><th>statistic</th><th>p-value</th><th>BH p</th><th>threshold</th><th>PSI</th><th>drifted</th></tr>
${rows}
</table></body></html>
`;
}
