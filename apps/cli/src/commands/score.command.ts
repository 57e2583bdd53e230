import type { Command } from 'commander';
import type { MlTestScoreResponse } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-error';
import { formatTable, printResult } from '../output';

function describeScore(score: MlTestScoreResponse): string {
  return [
    `ML Test Score of ${score.modelName}${score.version === null ? '' : ` (version ${score.version})`}: ${score.score}`,
    formatTable(score.sections, [
      { header: 'section', value: (s) => s.section },
      { header: 'points', value: (s) => s.points },
    ]),
    '',
    formatTable(score.tests, [
      { header: 'test', value: (t) => t.id },
      { header: 'points', value: (t) => t.points },
      { header: 'how', value: (t) => t.how },
      { header: 'title', value: (t) => t.title },
      { header: 'evidence', value: (t) => t.evidence ?? '' },
    ]),
    '',
    'To earn more:',
    ...score.missing.map((line) => `  ${line}`),
  ].join('\n');
}

export function registerScoreCommand(program: Command, ctx: CliContext): void {
  program
    .command('score <model>')
    .description("a model's ML Test Score (Breck et al.): 28 tests, 1 point automatic, 0.5 manual; --record adds a manual run")
    .option('--record <test>', 'record a manual run of this test (e.g. data-2) with --link')
    .option('--link <url>', 'where the manual run is written up')
    .option('--note <text>', 'a short note on the manual run')
    .action(async (model: string, opts: { record?: string; link?: string; note?: string }) => {
      if (opts.record) {
        if (!opts.link) throw new CliError('--record needs --link <url> to the record of the manual test', EXIT.usage);
        const body = { test: opts.record, link: opts.link, ...(opts.note ? { note: opts.note } : {}) };
        const recorded = await ctx.governance.recordMlTestEvidence({ params: { name: model }, body });
        printResult(ctx.output, recorded, (e) => `recorded manual run of ${e.test} for ${e.modelName}: ${e.link}`);
        return;
      }
      printResult(ctx.output, await ctx.governance.mlTestScore({ params: { name: model } }), describeScore);
    });
}
