import { governanceApi } from '@mlops/contracts';
import type { ServiceDefinition } from '@mlops/service-kit';
import { GovernanceModule } from './app.module';
import { governanceMigrations } from './migrations';
import { policiesAndApprovalsSubscribers } from './policies-and-approvals.module';
import { PlatformEventsSubscriber } from './record-audit-entry/platform-events.subscriber';

export const governanceService: ServiceDefinition = {
  service: 'governance',
  api: governanceApi,
  appModule: GovernanceModule,
  migrations: governanceMigrations,
  subscribers: [PlatformEventsSubscriber, ...policiesAndApprovalsSubscribers],
};
