import { Module } from '@nestjs/common';
import { FeatureStoreDatasetClient } from './feature-store/feature-store-dataset.client';
import { RunsController } from './runs-api/runs.controller';
import { LabelSetPinner } from './train-on-request/label-set-pinner';
import { TrainOnRequest } from './train-on-request/train-on-request.use-case';
import { TrainingRequestedSubscriber } from './train-on-request/training-requested.subscriber';
import { TrainFromDataset } from './train-from-dataset/train-from-dataset.use-case';
import { loadTrainerConfig, TRAINER_CONFIG } from './trainer.config';
import { TrainingAttemptRepository } from './training-runs/training-attempt.repository';
import { TrainingRunRepository } from './training-runs/training-run.repository';

/** The trainer's capabilities; the platform wiring is in service-kit. */
@Module({
  controllers: [RunsController],
  providers: [
    { provide: TRAINER_CONFIG, useFactory: () => loadTrainerConfig() },
    TrainingRunRepository,
    TrainingAttemptRepository,
    FeatureStoreDatasetClient,
    LabelSetPinner,
    TrainFromDataset,
    TrainOnRequest,
    TrainingRequestedSubscriber,
  ],
  exports: [TrainFromDataset],
})
export class TrainerModule {}
