import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { formatTable, printResult } from '../output';

const number = (value: number | null | undefined) => (value === null || value === undefined || Number.isNaN(value) ? '' : value.toFixed(4));
const band = (e: { value: number; lower: number; upper: number } | undefined) => (e ? `${number(e.value)} [${number(e.lower)}, ${number(e.upper)}]` : '');

/** `mlops performance <model>`: estimated (CBPE) and realised metrics per window beside the training baseline. */
export function registerPerformanceCommand(program: Command, ctx: CliContext): void {
  program
    .command('performance')
    .description('live performance of a model per window: estimated without labels, realised from joined labels')
    .argument('<model>', 'model name')
    .option('--version <n>', 'only this version')
    .option('--limit <n>', 'at most this many windows', '20')
    .option('--metric <name>', 'the realised metric to show', 'auc')
    .action(async (model: string, opts: { version?: string; limit: string; metric: string }) => {
      const result = await ctx.monitor.performance({ params: { name: model }, query: { limit: opts.limit, version: opts.version } });
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'window', value: (p) => p.windowId },
          { header: 'rows', value: (p) => p.rows },
          { header: 'est. accuracy', value: (p) => band(p.estimated?.accuracy) },
          { header: 'est. auc', value: (p) => band(p.estimated?.rocAuc) },
          { header: `realised ${opts.metric}`, value: (p) => number(p.realised?.[opts.metric]) },
          { header: 'labelled', value: (p) => `${p.labelled} (${(p.labelJoinRate * 100).toFixed(0)}%)` },
          { header: `baseline ${opts.metric}`, value: (p) => number(p.baseline?.[opts.metric]) },
        ]),
      );
    });
}
