import type { ServiceDefinition } from '@mlops/service-kit';
import { GovernanceModule } from './app.module';
import { governanceMigrations } from './migrations';
import { policiesAndApprovalsSubscribers } from './policies-and-approvals.module';
import { PlatformEventsSubscriber } from './record-audit-entry/platform-events.subscriber';

export const governanceService: ServiceDefinition = {
  service: 'governance',
  // Its routes are not in libs/contracts yet: the served document lists them as Nest sees them, marked so.
    api: { title: 'mlops governance', description: 'Policies, checks, approvals, model cards and the audit log built from every platform event.', routes: {} },
  appModule: GovernanceModule,
  migrations: governanceMigrations,
  subscribers: [PlatformEventsSubscriber, ...policiesAndApprovalsSubscribers],
};
