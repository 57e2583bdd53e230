import { Module } from '@nestjs/common';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { IssueApiKey } from './api-keys/issue-api-key.use-case';
import { RevokeApiKey } from './api-keys/revoke-api-key.use-case';
import { AuditLogRepository } from './audit-log/audit-log.repository';
import { PoliciesAndApprovalsModule } from './policies-and-approvals.module';
import { AuditTrail } from './audit-log/audit-trail';
import { EventHistoryReader } from './audit-log/event-history';
import { ComputeDeliveryMetrics } from './delivery-metrics/compute-delivery-metrics.use-case';
import { DeliveryMetricsController } from './delivery-metrics/delivery-metrics.controller';
import { DeliveryMetricsGauges } from './delivery-metrics/delivery-metrics.gauges';
import { ExportAuditTrail } from './export-audit-trail/export-audit-trail.use-case';
import { CountHighVolumeEvent } from './high-volume-counts/count-high-volume-event.use-case';
import { HourlyCountsRepository } from './high-volume-counts/hourly-counts.repository';
import { CardStore } from './model-cards/card-store';
import { CheckModelCardCompleteness } from './model-cards/check-model-card-completeness.use-case';
import { EditModelCard } from './model-cards/edit-model-card.use-case';
import { ModelCardRepository } from './model-cards/model-card.repository';
import { ModelCardsController } from './model-cards/model-cards.controller';
import { PublishModelCard } from './model-cards/publish-model-card.use-case';
import { MlTestEvidenceRepository } from './ml-test-score/ml-test-evidence.repository';
import { MlTestScoreController } from './ml-test-score/ml-test-score.controller';
import { RecordManualEvidence } from './ml-test-score/record-manual-evidence.use-case';
import { ScoreModel } from './ml-test-score/score-model.use-case';
import { PrincipalRepository } from './principals/principal.repository';
import { PrincipalsController } from './principals/principals.controller';
import { AuditLogController } from './query-audit-log/audit-log.controller';
import { PlatformEventsSubscriber } from './record-audit-entry/platform-events.subscriber';
import { AuditMetrics } from './record-audit-entry/audit-metrics';
import { RecordAuditEntry } from './record-audit-entry/record-audit-entry.use-case';
import { FindWhatServed } from './served-at/find-what-served.use-case';
import { ServedAtController } from './served-at/served-at.controller';
import { SeedApiKeys } from './seed-api-keys/seed-api-keys.use-case';
import { VerifyAuditTrail } from './verify-audit-trail/verify-audit-trail.use-case';

@Module({
  imports: [PoliciesAndApprovalsModule],
  controllers: [PrincipalsController, ApiKeysController, AuditLogController, ServedAtController, ModelCardsController, DeliveryMetricsController, MlTestScoreController],
  providers: [
    PrincipalRepository,
    ApiKeyRepository,
    IssueApiKey,
    RevokeApiKey,
    SeedApiKeys,
    AuditTrail,
    AuditLogRepository,
    EventHistoryReader,
    RecordAuditEntry,
    AuditMetrics,
    VerifyAuditTrail,
    ExportAuditTrail,
    HourlyCountsRepository,
    CountHighVolumeEvent,
    FindWhatServed,
    ModelCardRepository,
    CardStore,
    PublishModelCard,
    EditModelCard,
    CheckModelCardCompleteness,
    ComputeDeliveryMetrics,
    DeliveryMetricsGauges,
    MlTestEvidenceRepository,
    ScoreModel,
    RecordManualEvidence,
    PlatformEventsSubscriber,
  ],
})
export class GovernanceModule {}
