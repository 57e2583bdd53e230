import { monitorApi } from '@mlops/contracts';
import type { ServiceDefinition } from '@mlops/service-kit';
import { MonitorModule } from './app.module';
import { monitorMigrations } from './migrations';
import { VersionRegisteredSubscriber } from './register-reference/version-registered.subscriber';
import { TrainingEventsSubscriber } from './track-training/training-events.subscriber';

export const monitorService: ServiceDefinition = {
  service: 'monitor',
  api: monitorApi,
  appModule: MonitorModule,
  migrations: monitorMigrations,
  subscribers: [VersionRegisteredSubscriber, TrainingEventsSubscriber],
};
