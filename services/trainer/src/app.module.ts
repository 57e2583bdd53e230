import { DynamicModule, Module } from '@nestjs/common';
import { CustomTrainerRegistry } from './custom-training/custom-trainer-registry';
import { TrainCustom } from './custom-training/train-custom.use-case';
import { FeatureStoreDatasetClient } from './feature-store/feature-store-dataset.client';
import { RunLogController } from './run-log/run-log.controller';
import { RunLogStore } from './run-log/run-log.store';
import { RegistryClient } from './registry/registry.client';
import { RunsController } from './runs-api/runs.controller';
import { FireDueSchedules } from './schedules/fire-due-schedules.use-case';
import { ScheduleTicker } from './schedules/schedule-ticker';
import { SchedulesController } from './schedules/schedules.controller';
import { SetTrainingSchedule } from './schedules/set-training-schedule.use-case';
import { TrainingScheduleRepository } from './schedules/training-schedule.repository';
import { TrainOnRequest } from './train-on-request/train-on-request.use-case';
import { TrainingRequestedSubscriber } from './train-on-request/training-requested.subscriber';
import { ChampionComparer } from './train-from-dataset/champion-evaluation';
import { TrainFromDataset } from './train-from-dataset/train-from-dataset.use-case';
import { CUSTOM_TRAINING_CONFIG, TRAINER_CONFIG, TrainerSettings } from './trainer.config';
import { RecordTrainingJob } from './training-jobs/record-training-job.use-case';
import { RunTrainingJobs } from './training-jobs/run-training-jobs.use-case';
import { TrainingJobRepository } from './training-jobs/training-job.repository';
import { TrainingJobTicker } from './training-jobs/training-job-ticker';
import { TrainingRequestRepository } from './training-requests/training-request.repository';
import { SubmitTrainingRequest } from './training-requests-api/submit-training-request.use-case';
import { TrainingRequestsController } from './training-requests-api/training-requests.controller';
import { TrainingAttemptRepository } from './training-runs/training-attempt.repository';
import { TrainingMetrics } from './training-runs/training-metrics';
import { RunRecorder } from './training-runs/run-recorder';
import { TrainingRunRepository } from './training-runs/training-run.repository';

/** The trainer's capabilities; the platform wiring is in service-kit. */
@Module({
  controllers: [RunsController, RunLogController, SchedulesController, TrainingRequestsController],
  providers: [
    RunLogStore,
    CustomTrainerRegistry,
    TrainCustom,
    TrainingRunRepository,
    TrainingAttemptRepository,
    FeatureStoreDatasetClient,
    TrainFromDataset,
    TrainOnRequest,
    TrainingRequestedSubscriber,
    TrainingJobRepository,
    RecordTrainingJob,
    RunTrainingJobs,
    TrainingJobTicker,
    TrainingScheduleRepository,
    SetTrainingSchedule,
    FireDueSchedules,
    ScheduleTicker,
    RegistryClient,
    ChampionComparer,
    RunRecorder,
    TrainingMetrics,
    TrainingRequestRepository,
    SubmitTrainingRequest,
  ],
  exports: [TrainFromDataset],
})
export class TrainerModule {
  /** With the trainer's own settings, which main read once at start. */
  static withConfig(settings: TrainerSettings): DynamicModule {
    return {
      module: TrainerModule,
      providers: [
        { provide: TRAINER_CONFIG, useValue: settings.trainer },
        { provide: CUSTOM_TRAINING_CONFIG, useValue: settings.customTraining },
      ],
    };
  }
}
