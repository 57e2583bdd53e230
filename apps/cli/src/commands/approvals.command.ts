import type { Command } from 'commander';
import type { Approval, ApprovalSummary } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { formatTable, printResult } from '../output';

const progress = (a: ApprovalSummary) => (a.requiredApprovals ? `${a.approvals}/${a.requiredApprovals}` : 'auto');

function describeApproval(a: Approval): string {
  const header = [
    `${a.modelName} v${a.version}: ${a.status} (risk ${a.riskTier}, ${a.policyVersion ? `policy v${a.policyVersion}` : 'default policy'})`,
    `approvals ${progress(a)}, requested by ${a.requestedBy} at ${a.requestedAt}${a.decidedAt ? `, decided at ${a.decidedAt}` : ''}`,
  ].join('\n');
  const checks = formatTable(a.checks, [
    { header: 'check', value: (c) => c.name },
    { header: 'passed', value: (c) => (c.passed ? 'yes' : 'NO') },
    { header: 'detail', value: (c) => c.detail },
  ]);
  const decisions = formatTable(a.decisions, [
    { header: 'decided at', value: (d) => d.decidedAt },
    { header: 'reviewer', value: (d) => d.reviewer },
    { header: 'decision', value: (d) => (d.automatic ? `${d.decision} (automatic)` : d.decision) },
    { header: 'reason', value: (d) => d.reason },
  ]);
  return `${header}\n\n${checks}\n\n${decisions}`;
}

export function registerApprovalsCommand(program: Command, ctx: CliContext): void {
  const approvals = program.command('approvals').description('approval requests of model versions and the decisions on them');

  approvals
    .command('list')
    .description('approval requests, newest first')
    .option('--status <status>', 'PendingManualApproval, Approved, Rejected or Revoked')
    .option('--model <name>', 'only this model')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (opts: { status?: string; model?: string; limit: string }) => {
      const result = await ctx.governance.listApprovals({ query: opts });
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'model', value: (a) => a.modelName },
          { header: 'version', value: (a) => a.version },
          { header: 'risk', value: (a) => a.riskTier },
          { header: 'status', value: (a) => a.status },
          { header: 'approvals', value: progress },
          { header: 'checks', value: (a) => (a.checksPassed ? 'passed' : 'FAILED') },
          { header: 'requested by', value: (a) => a.requestedBy },
          { header: 'requested at', value: (a) => a.requestedAt },
        ]),
      );
    });

  approvals
    .command('show <model> <version>')
    .description('a version\'s approval request: its checks with their evidence, and every decision')
    .action(async (model: string, version: string) => {
      printResult(ctx.output, await ctx.governance.showApproval({ params: { model, version } }), describeApproval);
    });

  for (const [decision, description] of [
    ['approve', 'approve a version (you may not have requested, registered or own it)'],
    ['reject', 'reject a pending version'],
    ['revoke', 'withdraw an approval: the registry takes the version out of serving'],
  ] as const) {
    approvals
      .command(`${decision} <model> <version>`)
      .description(description)
      .requiredOption('--reason <text>', 'why: kept with the decision')
      .action(async (model: string, version: string, opts: { reason: string }) => {
        const decide = { approve: ctx.governance.approveVersion, reject: ctx.governance.rejectVersion, revoke: ctx.governance.revokeVersion }[decision];
        const approval = await decide({ params: { model, version }, body: { reason: opts.reason } });
        printResult(ctx.output, approval, describeApproval);
      });
  }

  approvals
    .command('recheck <model> <version>')
    .description('judge a pending version again by the policy and facts of now (e.g. after its card was completed)')
    .action(async (model: string, version: string) => {
      printResult(ctx.output, await ctx.governance.recheckApproval({ params: { model, version } }), describeApproval);
    });

  const rollouts = program.command('rollouts').description('rollout verdicts of the monitor and what governance made of them');

  rollouts
    .command('list')
    .description('rollout decisions, newest first')
    .option('--model <name>', 'only this model')
    .action(async (opts: { model?: string }) => {
      const result = await ctx.governance.listRollouts({ query: { model: opts.model } });
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'id', value: (d) => d.decisionId },
          { header: 'model', value: (d) => d.modelName },
          { header: 'champion', value: (d) => d.championVersion },
          { header: 'challenger', value: (d) => d.challengerVersion },
          { header: 'verdict', value: (d) => d.verdict },
          { header: 'status', value: (d) => d.status },
          { header: 'decided by', value: (d) => d.decidedBy.join(', ') },
        ]),
      );
    });

  for (const decision of ['approve', 'reject'] as const) {
    rollouts
      .command(`${decision} <id>`)
      .description(`${decision} a promotion the model's policy left to an approver`)
      .requiredOption('--reason <text>', 'why: kept with the decision')
      .action(async (id: string, opts: { reason: string }) => {
        const decide = decision === 'approve' ? ctx.governance.approveRollout : ctx.governance.rejectRollout;
        const rollout = await decide({ params: { id }, body: { reason: opts.reason } });
        printResult(ctx.output, rollout, (d) => `${d.modelName}: promotion of v${d.challengerVersion} ${d.status} by ${d.decidedBy.join(', ')}`);
      });
  }
}
