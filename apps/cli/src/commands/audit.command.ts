import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { ServedAtResponse } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-error';
import { formatTable, printResult } from '../output';

export function registerAuditCommand(program: Command, ctx: CliContext): void {
  const audit = program
    .command('audit')
    .description('show the audit trail governance chains from platform events and decisions')
    .option('--model <name>', 'only entries about this model')
    .option('--type <type>', 'only this CloudEvents type, e.g. mlops.registry.version-registered.v1')
    .option('--after <seq>', 'only entries after this sequence number', '0')
    .option('--limit <n>', 'at most this many entries', '50')
    .action(async (opts: { model?: string; type?: string; after: string; limit: string }) => {
      const result = await ctx.governance.listAuditEntries({ query: { after: opts.after, limit: opts.limit, subject: opts.model, type: opts.type } });
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'seq', value: (e) => e.seq },
          { header: 'time', value: (e) => e.occurredAt },
          { header: 'type', value: (e) => e.eventType },
          { header: 'subject', value: (e) => e.subject },
          { header: 'source', value: (e) => e.source },
          { header: 'entry sha256', value: (e) => e.entrySha256.slice(0, 16) },
        ]),
      );
    });

  audit
    .command('verify')
    .description('have governance recompute every hash of the chain; exits 1 and names the first broken link if one does not hold')
    .action(async () => {
      const result = await ctx.governance.verifyAuditTrail();
      printResult(ctx.output, result, (r) =>
        r.valid
          ? `audit chain intact: ${r.entriesChecked} entries, head ${r.head.seq} ${r.head.entrySha256}`
          : `audit chain BROKEN: ${r.brokenLinks} broken link(s) in ${r.entriesChecked} entries`,
      );
      const broken = result.firstBrokenLink;
      if (broken) throw new CliError(`first broken link at entry ${broken.seq} (${broken.kind}): ${broken.detail}`, EXIT.failure);
    });

  audit
    .command('export')
    .description('write the chain as JSON Lines (one canonical entry per line), to verify or archive elsewhere')
    .option('--after <seq>', 'only entries after this sequence number (default 0)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (_opts: unknown, command: Command) => {
      // `audit` takes --after too and commander gives it to the parent, so read it wherever it landed.
      const opts = command.optsWithGlobals<{ after: string; out?: string }>();
      const response = await ctx.governance.exportAuditTrail({ query: { after: opts.after } });
      const body = response.body ? Readable.fromWeb(response.body as ReadableStream) : Readable.from([]);
      const sink: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
      await pipeline(body, sink, { end: Boolean(opts.out) });
    });

  audit
    .command('served-at <model>')
    .description('what served a model at a time, approved by whom, on which evidence')
    .option('--at <time>', 'ISO time, e.g. 2026-01-31T12:00:00Z (default now)')
    .action(async (model: string, opts: { at?: string }) => {
      const result = await ctx.governance.servedAt({ params: { name: model }, query: { at: opts.at } });
      printResult(ctx.output, result, describeServedAt);
    });
}

function describeServedAt(answer: ServedAtResponse): string {
  const lines = [`${answer.modelName} at ${answer.at}: revision ${answer.deployment.revision} since ${answer.deployment.effectiveFrom} (by ${answer.deployment.changedBy}: ${answer.deployment.reason})`];
  for (const [role, served] of [['champion', answer.champion], ['challenger', answer.challenger]] as const) {
    if (!served) continue;
    const approval = served.approval;
    lines.push(`  ${role} v${served.version} sha256 ${served.artifact.sha256}`);
    lines.push(
      approval?.decision
        ? `    ${approval.decision} by ${approval.decidedBy.join(', ')} at ${approval.decidedAt}${approval.automatic ? ' (automatic)' : ''}: ${approval.reason}`
        : '    no approval decision on record',
    );
    for (const check of approval?.checks ?? []) lines.push(`    check ${check.name}: ${check.passed ? 'passed' : 'FAILED'} (${check.detail})`);
    if (served.training) lines.push(`    trained in run ${served.training.runId} requested by ${served.training.requestedBy ?? '?'} on dataset ${served.training.datasetSha256}`);
  }
  lines.push(`  cites audit entries ${answer.citations.map((c) => c.seq).join(', ')}`);
  return lines.join('\n');
}
