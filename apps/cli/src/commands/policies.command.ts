import type { Command } from 'commander';
import type { RouteBody, governanceRoutes } from '@mlops/contracts';
import { stringify } from 'yaml';
import type { CliContext } from '../cli-context';
import { formatTable, printResult } from '../output';
import { readYamlFile } from '../yaml-file';
import { planThenApply } from './apply.command';

/** A file holds `policies: [...]`, or one policy on its own; unchecked here, governance names each bad field. */
function policyFile(parsed: unknown): RouteBody<typeof governanceRoutes.applyPolicies> {
  const isRecord = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  return (isRecord && 'policies' in parsed ? parsed : { policies: [parsed] }) as RouteBody<typeof governanceRoutes.applyPolicies>;
}

export function registerPoliciesCommand(program: Command, ctx: CliContext): void {
  const policies = program.command('policies').description('governance policies: risk tier, checks and rollout mode per model');

  policies
    .command('apply <file>')
    .description('apply model policies from a YAML file, showing the diff first; each changed policy gets a new version')
    .option('--plan-only', 'show the diff and change nothing')
    .action(async (file: string, opts: { planOnly?: boolean }) => {
      const body = policyFile(await readYamlFile(file));
      await planThenApply(ctx, file, opts, {
        plan: () => ctx.governance.planPolicies({ body }),
        apply: () => ctx.governance.applyPolicies({ body }),
      });
    });

  policies
    .command('list')
    .description('the policy in force for every model that has one')
    .action(async () => {
      const result = await ctx.governance.listPolicies();
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'model', value: (p) => p.model },
          { header: 'version', value: (p) => p.version },
          { header: 'risk tier', value: (p) => p.definition.riskTier },
          { header: 'rollout', value: (p) => p.definition.rollout },
          { header: 'applied by', value: (p) => p.appliedBy },
          { header: 'applied at', value: (p) => p.appliedAt },
        ]),
      );
    });

  policies
    .command('show <model>')
    .description('the policy in force for a model, or one of its versions')
    .option('--version <n>', 'this version of the policy')
    .action(async (model: string, opts: { version?: string }) => {
      const policy = opts.version
        ? await ctx.governance.policyVersion({ params: { model, version: opts.version } })
        : await ctx.governance.policyInForce({ params: { model } });
      printResult(ctx.output, policy, (p) => `# ${p.model} policy v${p.version}, applied by ${p.appliedBy} at ${p.appliedAt}\n${stringify(p.definition)}`);
    });
}
