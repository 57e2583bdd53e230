import type { DataSource } from 'typeorm';
import { OutboxWriter } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import type { ObjectStore } from '@mlops/storage';
import { RegistryClient } from '../registry/registry.client';
import { RunLogStore } from '../run-log/run-log.store';
import { TrainFromDataset } from '../train-from-dataset/train-from-dataset.use-case';
import { loadTrainerConfig } from '../trainer.config';
import { TrainingRequestRepository } from '../training-requests/training-request.repository';
import { TrainingRunRepository } from '../training-runs/training-run.repository';

/** TrainFromDataset wired by hand as Nest wires it in the service, against the registry at registryUrl. */
export function builtInTrainer(dataSource: DataSource, store: ObjectStore, registryUrl: string): TrainFromDataset {
  return new TrainFromDataset(
    dataSource,
    store,
    new OutboxWriter('trainer'),
    new TrainingRunRepository(),
    new RegistryClient({ ...loadTrainerConfig({}), registryUrl }),
    new TrainingRequestRepository(),
    new RunLogStore(store),
    new JsonLogger({ service: 'trainer', level: 'error' }),
  );
}
