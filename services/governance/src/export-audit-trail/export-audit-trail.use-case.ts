import { Injectable } from '@nestjs/common';
import { canonicalJson } from '../audit-log/canonical-json';
import { AuditLogRepository } from '../audit-log/audit-log.repository';

const PAGE = 1000;

/**
 * The chain as JSON Lines, one canonical entry per line in seq order, up to the head as it was when the export
 * began; a reader recomputes every hash from these lines alone.
 */
@Injectable()
export class ExportAuditTrail {
  constructor(private readonly auditLog: AuditLogRepository) {}

  async *lines(afterSeq: number): AsyncGenerator<string> {
    const head = await this.auditLog.head();
    for (let after = afterSeq; after < head.seq; ) {
      const page = await this.auditLog.page(after, Math.min(PAGE, head.seq - after));
      if (page.length === 0) return;
      yield page.map((entry) => `${canonicalJson(entry)}\n`).join('');
      after = page[page.length - 1].seq;
    }
  }
}
