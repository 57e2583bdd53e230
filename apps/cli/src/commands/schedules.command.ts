import type { Command } from 'commander';
import type { TrainingSchedule, TrainingScheduleRequest } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { formatTable, printResult } from '../output';
import { readYamlFile } from '../yaml-file';

const describe = (schedules: TrainingSchedule[]) =>
  formatTable(schedules, [
    { header: 'model', value: (s) => s.modelName },
    { header: 'cron (UTC)', value: (s) => s.cron },
    { header: 'enabled', value: (s) => (s.enabled ? 'yes' : 'no') },
    { header: 'next', value: (s) => s.nextFireAt },
    { header: 'last', value: (s) => s.lastFiredAt ?? '-' },
    { header: 'last request', value: (s) => s.lastRequestId ?? '-' },
  ]);

/** `mlops schedules`: per-model cron schedules that make the trainer retrain on its own. */
export function registerSchedulesCommand(program: Command, ctx: CliContext): void {
  const schedules = program.command('schedules').description('per-model training schedules (cron, UTC)');

  schedules
    .command('set <model>')
    .description('create or replace the model\'s schedule; the request file (YAML or JSON) holds featureRefs, labelSource, algorithm, hyperparameters, split and seed')
    .requiredOption('--cron <expression>', 'five fields (minute hour day-of-month month day-of-week) or @daily, @weekly...')
    .requiredOption('--request <file>', 'the training request each firing sends')
    .option('--disabled', 'store the schedule without firing it')
    .action(async (model: string, opts: { cron: string; request: string; disabled?: boolean }) => {
      // The trainer checks the file's request and answers each wrong field by name.
      const request = (await readYamlFile(opts.request)) as TrainingScheduleRequest['request'];
      const stored = await ctx.trainer.setSchedule({ params: { model }, body: { cron: opts.cron, enabled: !opts.disabled, request } });
      printResult(ctx.output, stored, (s) => describe([s]));
    });

  schedules
    .command('list')
    .description('every schedule with its next and last firing')
    .action(async () => {
      const result = await ctx.trainer.listSchedules();
      printResult(ctx.output, result, (r) => describe(r.items));
    });

  schedules
    .command('show <model>')
    .description('one model\'s schedule')
    .action(async (model: string) => {
      const schedule = await ctx.trainer.getSchedule({ params: { model } });
      printResult(ctx.output, schedule, (s) => describe([s]));
    });

  schedules
    .command('delete <model>')
    .description('stop scheduling the model; requests already fired are unaffected')
    .action(async (model: string) => {
      await ctx.trainer.removeSchedule({ params: { model } });
      printResult(ctx.output, { deleted: model }, () => `schedule of ${model} deleted`);
    });
}
