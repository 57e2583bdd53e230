import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditVerification } from '@mlops/contracts';
import { ChainVerifier } from '../audit-log/audit-chain';
import { AuditLogRepository } from '../audit-log/audit-log.repository';

const PAGE = 2000;

/** Recomputes every hash of the chain from what Postgres holds now and names the first link that does not hold. */
@Injectable()
export class VerifyAuditTrail {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogRepository,
  ) {}

  /**
   * One REPEATABLE READ snapshot, so appends made while the pages are read neither show up half-way nor move the
   * head away from the entries read.
   */
  execute(): Promise<AuditVerification> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const verifier = new ChainVerifier();
      const head = await this.auditLog.head(manager);
      for (let after = 0; ; ) {
        const page = await this.auditLog.page(after, PAGE, manager);
        for (const entry of page) verifier.feed(entry);
        if (page.length < PAGE) break;
        after = page[page.length - 1].seq;
      }
      const result = verifier.finish(head);
      return { valid: result.brokenLinks === 0, ...result, head, verifiedAt: new Date().toISOString() };
    });
  }
}
