import { Module } from '@nestjs/common';
import { CreateReference } from './create-reference/create-reference.use-case';
import { ReferencesController } from './create-reference/references.controller';
import { HistoryController } from './history/history.controller';
import { PolicyController } from './manage-policy/policy.controller';
import { MonitorMetrics } from './metrics/monitor-metrics';
import { loadMonitorConfig, MONITOR_CONFIG } from './monitor.config';
import { PolicyRepository } from './policies/policy.repository';
import { MonitoredModels } from './references/monitored-models';
import { ReferenceRepository } from './references/reference.repository';
import { RegisterTrainedReference } from './register-reference/register-trained-reference.use-case';
import { VersionRegisteredSubscriber } from './register-reference/version-registered.subscriber';
import { MonitoringResultsRepository } from './results/monitoring-results.repository';
import { RetrainingRepository } from './retraining/retraining.repository';
import { TriggerRetraining } from './retraining/trigger-retraining';
import { CheckpointRepository } from './stream/checkpoint.repository';
import { RecordStreamOutputs } from './stream/record-stream-outputs';
import { StreamRunner } from './stream/stream-runner';
import { StreamStarter } from './stream/stream-starter';
import { TrackTraining } from './track-training/track-training.use-case';
import { TrainingEventsSubscriber } from './track-training/training-events.subscriber';

@Module({
  controllers: [ReferencesController, PolicyController, HistoryController],
  providers: [
    { provide: MONITOR_CONFIG, useFactory: () => loadMonitorConfig() },
    ReferenceRepository,
    PolicyRepository,
    MonitoredModels,
    MonitoringResultsRepository,
    RetrainingRepository,
    CheckpointRepository,
    MonitorMetrics,
    RegisterTrainedReference,
    VersionRegisteredSubscriber,
    TrackTraining,
    TrainingEventsSubscriber,
    TriggerRetraining,
    CreateReference,
    RecordStreamOutputs,
    StreamRunner,
    StreamStarter,
  ],
})
export class MonitorModule {}
