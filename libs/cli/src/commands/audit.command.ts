import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { formatTable, printResult } from '../output';

interface AuditEntry {
  seq: number;
  eventType: string;
  subject: string;
  source: string;
  occurredAt: string;
}

export function registerAuditCommand(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('show the audit trail governance built from platform events')
    .option('--model <name>', 'only events about this model')
    .option('--type <type>', 'only this CloudEvents type, e.g. mlops.registry.version-registered.v1')
    .option('--limit <n>', 'at most this many entries', '50')
    .action(async (opts: { model?: string; type?: string; limit: string }) => {
      const query = new URLSearchParams({ limit: opts.limit });
      if (opts.model) query.set('subject', opts.model);
      if (opts.type) query.set('type', opts.type);
      const result = await ctx.governance.get<{ items: AuditEntry[] }>(`/audit?${query}`);
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'seq', value: (e) => e.seq },
          { header: 'time', value: (e) => e.occurredAt },
          { header: 'type', value: (e) => e.eventType },
          { header: 'subject', value: (e) => e.subject },
          { header: 'source', value: (e) => e.source },
        ]),
      );
    });
}
