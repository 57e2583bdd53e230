import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { OutboxWriter } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import type { ObjectStore } from '@mlops/storage';
import { serviceTestKey } from '@mlops/testing';
import { CustomTrainerRegistry } from '../custom-training/custom-trainer-registry';
import { TrainCustom } from '../custom-training/train-custom.use-case';
import { RegistryClient } from '../registry/registry.client';
import { RunLogStore } from '../run-log/run-log.store';
import { ChampionComparer } from '../train-from-dataset/champion-evaluation';
import { TrainFromDataset } from '../train-from-dataset/train-from-dataset.use-case';
import { CustomTrainingConfig, loadTrainerConfig } from '../trainer.config';
import { TrainingJobRepository } from '../training-jobs/training-job.repository';
import { TrainingRequestRepository } from '../training-requests/training-request.repository';
import { RunRecorder } from '../training-runs/run-recorder';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { TrainingMetrics } from '../training-runs/training-metrics';

// The use cases wired by hand as Nest wires them in the service, against the registry at registryUrl.

const logger = new JsonLogger({ service: 'trainer', level: 'error' });

function shared(dataSource: DataSource, store: ObjectStore, registryUrl: string) {
  const runs = new TrainingRunRepository(dataSource);
  const recorder = new RunRecorder(dataSource, store, new OutboxWriter('trainer'), runs, new RunLogStore(store), new TrainingMetrics(new Registry()), new TrainingJobRepository(dataSource));
  const champions = new ChampionComparer(new RegistryClient({ ...loadTrainerConfig({}), registryUrl }, serviceTestKey('trainer')), logger);
  return { runs, recorder, champions };
}

export function builtInTrainer(dataSource: DataSource, store: ObjectStore, registryUrl: string): TrainFromDataset {
  const { runs, recorder, champions } = shared(dataSource, store, registryUrl);
  return new TrainFromDataset(dataSource, store, runs, champions, new TrainingRequestRepository(dataSource), recorder, logger);
}

export function customTrainer(dataSource: DataSource, store: ObjectStore, registryUrl: string, config: CustomTrainingConfig): TrainCustom {
  const { runs, recorder, champions } = shared(dataSource, store, registryUrl);
  return new TrainCustom(dataSource, store, runs, champions, recorder, new CustomTrainerRegistry(config), config);
}
