import type { ServiceDefinition } from '@mlops/service-kit';
import { GovernanceModule } from './app.module';
import { governanceMigrations } from './migrations';
import { policiesAndApprovalsSubscribers } from './policies-and-approvals.module';
import { PlatformEventsSubscriber } from './record-audit-entry/platform-events.subscriber';

export const governanceService: ServiceDefinition = {
  service: 'governance',
  description: 'Policies, checks, approvals, model cards and the audit log built from every platform event.',
  appModule: GovernanceModule,
  migrations: governanceMigrations,
  subscribers: [PlatformEventsSubscriber, ...policiesAndApprovalsSubscribers],
};
