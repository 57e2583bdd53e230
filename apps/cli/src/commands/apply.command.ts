import type { Command } from 'commander';
import type { DefinitionFile, DefinitionPlan as FeatureStorePlan, PolicyPlan } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-error';
import { formatTable, printResult } from '../output';
import { readYamlFile } from '../yaml-file';

/** A feature store's or governance's plan: what `apply` would change, and why it cannot. */
interface DefinitionPlan {
  changes: (FeatureStorePlan['changes'][number] | PolicyPlan['changes'][number])[];
  errors: string[];
}

export function describePlan(plan: DefinitionPlan): string {
  const table = formatTable(plan.changes, [
    { header: 'kind', value: (c) => c.kind },
    { header: 'name', value: (c) => c.name },
    { header: 'action', value: (c) => c.action },
    { header: 'version', value: (c) => c.version },
  ]);
  const diffs = plan.changes
    .filter((c) => c.action !== 'unchanged' && c.diff.length)
    .map((c) => [`${c.kind} ${c.name} (${c.action}):`, ...c.diff.map((d) => `  ${d}`)].join('\n'));
  return [table, ...diffs, ...plan.errors.map((e) => `error: ${e}`)].join('\n\n');
}

/**
 * Shows the plan of a definitions file (the diff against what is applied), then applies it unless it has problems,
 * `--plan-only` was given or nothing changes: what `mlops apply` and `mlops policies apply` share.
 */
export async function planThenApply(
  ctx: CliContext,
  file: string,
  opts: { planOnly?: boolean },
  calls: { plan: () => Promise<DefinitionPlan>; apply: () => Promise<DefinitionPlan> },
): Promise<void> {
  const plan = await calls.plan();
  if (plan.errors.length) {
    printResult(ctx.output, { plan, applied: false }, () => describePlan(plan));
    throw new CliError(`${file} cannot be applied: ${plan.errors.length} problem(s)`, EXIT.usage);
  }
  const pending = plan.changes.some((c) => c.action !== 'unchanged');
  if (opts.planOnly || !pending) {
    printResult(ctx.output, { plan, applied: false }, () => `${describePlan(plan)}\n\n${pending ? 'not applied (--plan-only)' : 'nothing to apply'}`);
    return;
  }
  if (!ctx.output.json) process.stderr.write(`${describePlan(plan)}\n\napplying...\n`);
  const applied = await calls.apply();
  printResult(ctx.output, { plan: applied, applied: true }, (r) =>
    formatTable(r.plan.changes.filter((c) => c.action !== 'unchanged'), [
      { header: 'applied', value: (c) => `${c.kind} ${c.name}` },
      { header: 'action', value: (c) => c.action },
      { header: 'version', value: (c) => c.version },
    ]),
  );
}

/** `mlops apply defs.yaml`: the diff against what is applied (like `feast plan`), then the apply itself. */
export function registerApplyCommand(program: Command, ctx: CliContext): void {
  program
    .command('apply <file>')
    .description('create or update feature-store entities and feature views from a YAML file, showing the diff first')
    .option('--plan-only', 'show the diff and change nothing')
    .action(async (file: string, opts: { planOnly?: boolean }) => {
      const definitions = await readYamlFile(file);
      await planThenApply(ctx, file, opts, {
        plan: () => ctx.featureStore.plan({ body: definitions as DefinitionFile }),
        apply: () => ctx.featureStore.apply({ body: definitions as DefinitionFile }),
      });
    });
}
