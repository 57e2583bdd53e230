import { registryApi } from '@mlops/contracts';
import type { ServiceDefinition } from '@mlops/service-kit';
import { RegistryModule } from './app.module';
import { registryMigrations } from './migrations';
import { RolloutDecidedSubscriber } from './apply-rollout-decision/rollout-decided.subscriber';
import type { RegistryConfig } from './registry.config';
import { ApprovalDecidedSubscriber } from './record-approval/approval-decided.subscriber';
import { TrainingCompletedSubscriber } from './register-trained-version/training-completed.subscriber';

export function registryService(config: RegistryConfig): ServiceDefinition {
  return {
    service: 'registry',
    api: registryApi,
    appModule: RegistryModule.withConfig(config),
    migrations: registryMigrations,
    subscribers: [TrainingCompletedSubscriber, ApprovalDecidedSubscriber, RolloutDecidedSubscriber],
  };
}
