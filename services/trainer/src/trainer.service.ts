import type { ServiceDefinition } from '@mlops/service-kit';
import { TrainerModule } from './app.module';
import { trainerMigrations } from './migrations';
import { TrainingRequestedSubscriber } from './train-on-request/training-requested.subscriber';

export const trainerService: ServiceDefinition = {
  service: 'trainer',
  description: 'Training runs from mlops.training.requested: datasets, built-in algorithms to ONNX, evaluation, run tracking.',
  appModule: TrainerModule,
  migrations: trainerMigrations,
  subscribers: [TrainingRequestedSubscriber],
};
