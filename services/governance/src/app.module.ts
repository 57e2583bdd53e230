import { Module } from '@nestjs/common';
import { AuditLogRepository } from './audit-log/audit-log.repository';
import { PoliciesAndApprovalsModule } from './policies-and-approvals.module';
import { AuditLogController } from './query-audit-log/audit-log.controller';
import { PlatformEventsSubscriber } from './record-audit-entry/platform-events.subscriber';
import { RecordAuditEntry } from './record-audit-entry/record-audit-entry.use-case';

@Module({
  imports: [PoliciesAndApprovalsModule],
  controllers: [AuditLogController],
  providers: [AuditLogRepository, RecordAuditEntry, PlatformEventsSubscriber],
})
export class GovernanceModule {}
