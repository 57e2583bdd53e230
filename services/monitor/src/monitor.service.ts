import type { ServiceDefinition } from '@mlops/service-kit';
import { MonitorModule } from './app.module';
import { monitorMigrations } from './migrations';
import { VersionRegisteredSubscriber } from './register-reference/version-registered.subscriber';
import { TrainingEventsSubscriber } from './track-training/training-events.subscriber';

export const monitorService: ServiceDefinition = {
  service: 'monitor',
  // Its routes are not in libs/contracts yet: the served document lists them as Nest sees them, marked so.
    api: { title: 'mlops monitor', description: 'Reference profiles, live windows, data and prediction drift, live performance and rollout verdicts.', routes: {} },
  appModule: MonitorModule,
  migrations: monitorMigrations,
  subscribers: [VersionRegisteredSubscriber, TrainingEventsSubscriber],
};
