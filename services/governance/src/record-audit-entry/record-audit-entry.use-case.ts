import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlatformEvent, TopicName } from '@mlops/contracts';
import { applyOnce } from '@mlops/messaging';
import { AuditLogRepository } from '../audit-log/audit-log.repository';

/** Every platform event becomes exactly one audit entry, whatever the redeliveries. */
@Injectable()
export class RecordAuditEntry {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogRepository,
  ) {}

  execute(event: PlatformEvent<TopicName>): Promise<boolean> {
    return applyOnce(this.dataSource, 'governance', 'audit-log', event.id, (manager) => this.auditLog.append(manager, event));
  }
}
