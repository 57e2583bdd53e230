import { trainerApi } from '@mlops/contracts';
import type { ServiceDefinition } from '@mlops/service-kit';
import { TrainerModule } from './app.module';
import { trainerMigrations } from './migrations';
import { TrainingRequestedSubscriber } from './train-on-request/training-requested.subscriber';
import type { TrainerSettings } from './trainer.config';

export function trainerService(settings: TrainerSettings): ServiceDefinition {
  return {
    service: 'trainer',
    api: trainerApi,
    appModule: TrainerModule.withConfig(settings),
    migrations: trainerMigrations,
    subscribers: [TrainingRequestedSubscriber],
  };
}
