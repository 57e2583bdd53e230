import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { BuiltInAlgorithm, resolveHyperparameters } from '@mlops/ml';
import type { TrainingRequest } from '../training-requests/training-request';
import { TrainingRequestRepository } from '../training-requests/training-request.repository';

/**
 * Queues a training request: its hyperparameters are checked against the algorithm now (InvalidHyperparameters),
 * then the request row and `mlops.training.requested` are written in one transaction through the outbox. A request
 * id already queued publishes nothing more, so a retried submission is safe.
 */
@Injectable()
export class SubmitTrainingRequest {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly requests: TrainingRequestRepository,
  ) {}

  async execute(request: Omit<TrainingRequest, 'requestId'> & { requestId?: string }): Promise<{ requestId: string; status: 'queued' }> {
    const data: TrainingRequest = { ...request, requestId: request.requestId ?? randomUUID() };
    if (data.algorithm !== 'custom') resolveHyperparameters(data.algorithm as BuiltInAlgorithm, data.hyperparameters);
    const event = createEvent('mlops.training.requested', data, { source: 'trainer' });
    await this.dataSource.transaction(async (manager) => {
      if (await this.requests.insertQueued(manager, data.requestId, data.modelName)) await this.outbox.enqueue(manager, 'mlops.training.requested', event);
    });
    return { requestId: data.requestId, status: 'queued' };
  }
}
