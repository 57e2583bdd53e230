import type { ServiceDefinition } from '@mlops/service-kit';
import { TrainerModule } from './app.module';
import { trainerMigrations } from './migrations';
import { TrainingRequestedSubscriber } from './train-on-request/training-requested.subscriber';
import type { TrainerSettings } from './trainer.config';

export function trainerService(settings: TrainerSettings): ServiceDefinition {
  return {
    service: 'trainer',
    // Its routes are not in libs/contracts yet: the served document lists them as Nest sees them, marked so.
    api: { title: 'mlops trainer', description: 'Training runs from mlops.training.requested: datasets, built-in algorithms to ONNX, evaluation, run tracking.', routes: {} },
    appModule: TrainerModule.withConfig(settings),
    migrations: trainerMigrations,
    subscribers: [TrainingRequestedSubscriber],
  };
}
