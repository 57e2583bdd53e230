import { Injectable } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { TrainingJobRepository, TrainingRequestedEvent } from './training-job.repository';

/**
 * Records a training request as a queued job and returns at once: the dataset build and the training run later
 * in a job runner, so a long run never holds the request's partition. A request id that already has a job
 * (a redelivery, a resubmission) records nothing more.
 */
@Injectable()
export class RecordTrainingJob {
  private readonly log: JsonLogger;

  constructor(
    private readonly jobs: TrainingJobRepository,
    logger: JsonLogger,
  ) {
    this.log = logger.child('RecordTrainingJob');
  }

  async execute(event: TrainingRequestedEvent): Promise<void> {
    if (await this.jobs.enqueue(event)) this.log.log(`training request ${event.data.requestId} of ${event.data.modelName} queued`);
  }
}
