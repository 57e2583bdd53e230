import type { Command } from 'commander';
import type { DeliveryMetrics } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { formatTable, printResult } from '../output';

const hours = (seconds: number | null) => (seconds === null ? '-' : (seconds / 3600).toFixed(1));
const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(0)}%`);

export function registerDeliveryCommand(program: Command, ctx: CliContext): void {
  program
    .command('delivery')
    .description('delivery metrics (DORA applied to models): deployment frequency, lead time, change failure rate, time to restore')
    .option('--model <name>', 'one model only')
    .option('--from <time>', 'ISO time (default 30 days before --to)')
    .option('--to <time>', 'ISO time (default now)')
    .action(async (opts: { model?: string; from?: string; to?: string }) => {
      const query = { from: opts.from, to: opts.to };
      const result = opts.model
        ? await ctx.governance.modelDeliveryMetrics({ params: { name: opts.model }, query })
        : await ctx.governance.platformDeliveryMetrics({ query });
      const rows: (DeliveryMetrics & { modelName: string })[] = [...result.models, { modelName: opts.model ? '(this model)' : '(platform)', ...result.platform }];
      printResult(ctx.output, result, (r) =>
        [
          `from ${r.from} to ${r.to}`,
          formatTable(rows, [
            { header: 'model', value: (m) => m.modelName },
            { header: 'deploys', value: (m) => m.deployments },
            { header: 'per day', value: (m) => m.deploymentsPerDay.toFixed(2) },
            { header: 'lead time h (median)', value: (m) => hours(m.leadTime.medianSeconds) },
            { header: 'change failure', value: (m) => `${percent(m.changeFailure.rate)} (${m.changeFailure.failed}/${m.changeFailure.changes})` },
            { header: 'restore h (median)', value: (m) => hours(m.timeToRestore.medianSeconds) },
            { header: 'open incidents', value: (m) => m.timeToRestore.open },
          ]),
        ].join('\n'),
      );
    });
}
