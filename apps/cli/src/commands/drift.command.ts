import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-error';
import { formatTable, printResult } from '../output';

const number = (value: number | null | undefined) => (value === null || value === undefined ? '' : value.toPrecision(3));

/** `mlops drift <model>`: the evaluated windows, newest first; `--window <id>` shows one window feature by feature. */
export function registerDriftCommand(program: Command, ctx: CliContext): void {
  program
    .command('drift')
    .description('data and prediction drift of a model, window by window, from the monitor')
    .argument('<model>', 'model name')
    .option('--version <n>', 'only this version')
    .option('--limit <n>', 'at most this many windows', '20')
    .option('--window <id>', 'show this window feature by feature')
    .action(async (model: string, opts: { version?: string; limit: string; window?: string }) => {
      const result = await ctx.monitor.drift({ params: { name: model }, query: { limit: opts.window ? 1000 : opts.limit, version: opts.version } });
      if (opts.window) {
        const window = result.items.find((w) => w.windowId === opts.window);
        if (!window) throw new CliError(`no evaluated window ${opts.window} of ${model}`, EXIT.notFound);
        printResult(ctx.output, window, (w) =>
          formatTable([...w.features.map((f) => ({ ...f, column: 'feature' })), ...w.predictions.map((f) => ({ ...f, column: 'prediction' }))], [
            { header: 'column', value: (f) => f.column },
            { header: 'name', value: (f) => f.feature },
            { header: 'test', value: (f) => f.test },
            { header: 'statistic', value: (f) => number(f.statistic) },
            { header: 'p', value: (f) => number(f.pValue) },
            { header: 'bh p', value: (f) => number(f.adjustedPValue) },
            { header: 'threshold', value: (f) => f.threshold },
            { header: 'psi', value: (f) => number(f.psi) },
            { header: 'drifted', value: (f) => (f.drifted ? 'yes' : 'no') },
          ]),
        );
        return;
      }
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'window', value: (w) => w.windowId },
          { header: 'to', value: (w) => w.window.to },
          { header: 'rows', value: (w) => w.rows },
          { header: 'drifted features', value: (w) => (w.dataset ? `${w.features.filter((f) => f.drifted).length}/${w.features.length}` : 'no reference') },
          { header: 'dataset drift', value: (w) => (w.dataset ? (w.dataset.drifted ? 'yes' : 'no') : '') },
          { header: 'fdr discoveries', value: (w) => w.dataset?.fdr.discoveries.join(',') },
          { header: 'prediction drift', value: (w) => (w.predictions.some((f) => f.drifted) ? 'yes' : 'no') },
          { header: 'report', value: (w) => w.reportUri },
        ]),
      );
    });
}
