import { Module } from '@nestjs/common';
import { TrainFromDataset } from './train-from-dataset/train-from-dataset.use-case';
import { TrainingRunRepository } from './training-runs/training-run.repository';

/**
 * The trainer's capabilities; the platform wiring is in service-kit. TrainFromDataset is triggered once the
 * feature store's dataset retrieval is wired to mlops.training.requested.
 */
@Module({ providers: [TrainingRunRepository, TrainFromDataset], exports: [TrainFromDataset] })
export class TrainerModule {}
