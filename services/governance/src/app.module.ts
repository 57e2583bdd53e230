import { Module } from '@nestjs/common';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { IssueApiKey } from './api-keys/issue-api-key.use-case';
import { RevokeApiKey } from './api-keys/revoke-api-key.use-case';
import { AuditLogRepository } from './audit-log/audit-log.repository';
import { PrincipalRepository } from './principals/principal.repository';
import { PrincipalsController } from './principals/principals.controller';
import { AuditLogController } from './query-audit-log/audit-log.controller';
import { PlatformEventsSubscriber } from './record-audit-entry/platform-events.subscriber';
import { RecordAuditEntry } from './record-audit-entry/record-audit-entry.use-case';
import { SeedApiKeys } from './seed-api-keys/seed-api-keys.use-case';

@Module({
  controllers: [AuditLogController, PrincipalsController, ApiKeysController],
  providers: [
    AuditLogRepository,
    RecordAuditEntry,
    PlatformEventsSubscriber,
    PrincipalRepository,
    ApiKeyRepository,
    IssueApiKey,
    RevokeApiKey,
    SeedApiKeys,
  ],
})
export class GovernanceModule {}
