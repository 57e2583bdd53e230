import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { formatTable, printResult } from '../output';

export function registerHistoryCommand(program: Command, ctx: CliContext): void {
  program
    .command('history <model>')
    .description('every serving spec of a model with who changed it, why and when; --at answers what served then')
    .option('--at <time>', 'ISO time, e.g. 2026-01-31T12:00:00Z')
    .action(async (model: string, opts: { at?: string }) => {
      const result = await ctx.registry.deploymentHistory({ params: { name: model }, query: { at: opts.at } });
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'rev', value: (e) => e.revision },
          { header: 'champion', value: (e) => e.champion?.version ?? '-' },
          { header: 'challenger', value: (e) => (e.challenger ? `${e.challenger.version} ${e.challenger.mode}${'weight' in e.challenger ? ` ${e.challenger.weight}` : ''}` : '-') },
          { header: 'from', value: (e) => e.validFrom },
          { header: 'to', value: (e) => e.validTo ?? 'now' },
          { header: 'by', value: (e) => e.changedBy },
          { header: 'reason', value: (e) => e.reason },
        ]),
      );
    });
}
