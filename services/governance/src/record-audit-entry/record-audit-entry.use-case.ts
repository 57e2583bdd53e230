import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry, PlatformEvent, TopicName } from '@mlops/contracts';
import { auditRecordOf } from '../audit-log/audit-record';
import { AuditTrail } from '../audit-log/audit-trail';

/** Every state-changing platform event becomes exactly one link of the chain, whatever the redeliveries. */
@Injectable()
export class RecordAuditEntry {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
  ) {}

  /** The new entry, or null when the event was already in the chain. */
  execute(event: PlatformEvent<TopicName>): Promise<AuditEntry | null> {
    return this.dataSource.transaction('READ COMMITTED', (manager) => this.auditTrail.append(manager, auditRecordOf(event)));
  }
}
