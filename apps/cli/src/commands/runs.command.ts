import type { Command } from 'commander';
import type { ComparisonRow, RunComparison, TrainingRun } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { formatTable, printResult } from '../output';

const num = (value: ComparisonRow['values'][number] | undefined) =>
  value == null ? '-' : typeof value !== 'number' || Number.isInteger(value) ? String(value) : value.toFixed(4);
const signed = (value: number | null | undefined) => (value == null ? '-' : `${value >= 0 ? '+' : ''}${value.toFixed(4)}`);
const HEADLINE = ['auc', 'f1', 'rmse', 'r2'];

/** Side-by-side metrics of a run and its champion on the same holdout. */
export function describeRun(run: TrainingRun): string {
  const names = Object.keys(run.metrics).sort();
  const champion =
    run.parentVersion === null
      ? 'champion: none (first version of the model)'
      : run.championMetrics
        ? `champion: v${run.parentVersion}, scored on the same holdout`
        : `champion: v${run.parentVersion}, not comparable: ${run.championSkippedReason ?? 'unknown reason'}`;
  return [
    `run ${run.runId}  model ${run.modelName}  ${run.algorithm}  seed ${run.seed}`,
    `completed ${run.completedAt} in ${(run.durationMs / 1000).toFixed(1)} s; code ${run.codeVersion}; dataset ${run.dataset.sha256.slice(0, 12)}`,
    `artifact ${run.artifact.uri} (${run.artifact.sizeBytes} bytes, sha256 ${run.artifact.sha256.slice(0, 12)})`,
    `params: ${Object.entries(run.params).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    champion,
    '',
    formatTable(names, [
      { header: 'metric', value: (n) => n },
      { header: 'run', value: (n) => num(run.metrics[n]) },
      { header: 'champion', value: (n) => num(run.championMetrics?.[n]) },
      { header: 'delta', value: (n) => signed(run.championMetrics ? run.metrics[n] - run.championMetrics[n] : null) },
    ]),
  ].join('\n');
}

function comparisonTable(title: string, rows: ComparisonRow[], runs: RunComparison['runs']): string {
  if (rows.length === 0) return `${title}: (none)`;
  return `${title}:\n${formatTable(rows, [
    { header: 'name', value: (r) => `${r.differs ? '*' : ' '} ${r.name}` },
    ...runs.map((run, i) => ({ header: run.runId.slice(0, 8), value: (r: ComparisonRow) => num(r.values[i]) + (i > 0 && r.differs ? ` (${signed(r.deltaFromFirst[i])})` : '') })),
  ])}`;
}

export function registerRunsCommand(program: Command, ctx: CliContext): void {
  const runs = program.command('runs').description('training runs: params, metrics, champion comparison');

  runs
    .command('list')
    .description('list runs, newest first')
    .option('--model <name>', 'only runs of this model')
    .option('--limit <n>', 'at most this many runs', '50')
    .action(async (opts: { model?: string; limit: string }) => {
      const result = await ctx.trainer.listRuns({ query: { limit: opts.limit, ...(opts.model ? { model: opts.model } : {}) } });
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'run', value: (run) => run.runId },
          { header: 'model', value: (run) => run.modelName },
          { header: 'algorithm', value: (run) => run.algorithm },
          { header: 'metric', value: (run) => HEADLINE.filter((m) => m in run.metrics).map((m) => `${m}=${num(run.metrics[m])}`)[0] },
          { header: 'champion', value: (run) => (run.parentVersion === null ? '-' : `v${run.parentVersion}`) },
          { header: 'completed', value: (run) => run.completedAt },
        ]),
      );
    });

  runs
    .command('show <id>')
    .description('one run: params, metrics against its champion, dataset, artifact')
    .action(async (id: string) => {
      const run = await ctx.trainer.getRun({ params: { id } });
      printResult(ctx.output, run, describeRun);
    });

  runs
    .command('compare <ids...>')
    .description('params, metrics and champion metrics of two or more runs side by side (* marks a difference)')
    .action(async (ids: string[]) => {
      const result = await ctx.trainer.compareRuns({ query: { ids: ids.join(',') } });
      printResult(ctx.output, result, (r) =>
        [
          formatTable(r.runs, [
            { header: 'run', value: (run) => run.runId },
            { header: 'model', value: (run) => run.modelName },
            { header: 'algorithm', value: (run) => run.algorithm },
            { header: 'champion', value: (run) => (run.parentVersion === null ? '-' : `v${run.parentVersion}`) },
          ]),
          comparisonTable('params', r.params, r.runs),
          comparisonTable('metrics', r.metrics, r.runs),
          comparisonTable('champion metrics (each run\'s champion on its holdout)', r.championMetrics, r.runs),
        ].join('\n\n'),
      );
    });
}
