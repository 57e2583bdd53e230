import type { ServiceDefinition } from '@mlops/service-kit';
import { RegistryModule } from './app.module';
import { registryMigrations } from './migrations';
import { RolloutDecidedSubscriber } from './apply-rollout-decision/rollout-decided.subscriber';
import { ApprovalDecidedSubscriber } from './record-approval/approval-decided.subscriber';
import { TrainingCompletedSubscriber } from './register-trained-version/training-completed.subscriber';

export const registryService: ServiceDefinition = {
  service: 'registry',
  description: 'Registered models, versions, artifacts (sha256), signatures, lineage, aliases and deployments.',
  appModule: RegistryModule,
  migrations: registryMigrations,
  subscribers: [TrainingCompletedSubscriber, ApprovalDecidedSubscriber, RolloutDecidedSubscriber],
};
