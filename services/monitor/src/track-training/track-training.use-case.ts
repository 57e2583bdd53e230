import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlatformEvent } from '@mlops/contracts';
import { applyOnce } from '@mlops/messaging';
import { RetrainingRepository } from '../retraining/retraining.repository';

const CONSUMER = 'track-training';

/**
 * The monitor learns a model's training recipe (feature refs, label source, algorithm) from the requests it sees on
 * the bus rather than asking the trainer: whoever trained the model last, by CLI, schedule or the monitor itself,
 * published exactly that, and a retraining should repeat it. Completions and failures tell it a run has finished.
 */
@Injectable()
export class TrackTraining {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retraining: RetrainingRepository,
  ) {}

  requested(event: PlatformEvent<'mlops.training.requested'>): Promise<boolean> {
    return applyOnce(this.dataSource, 'monitor', CONSUMER, event.id, (manager) => this.retraining.recordRequest(manager, event.data, new Date(event.time)));
  }

  finished(event: PlatformEvent<'mlops.training.completed'> | PlatformEvent<'mlops.training.failed'>, status: 'completed' | 'failed'): Promise<boolean> {
    const { requestId, modelName } = event.data;
    return applyOnce(this.dataSource, 'monitor', CONSUMER, event.id, (manager) => this.retraining.recordOutcome(manager, requestId, modelName, status, new Date(event.time)));
  }
}
