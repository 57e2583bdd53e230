import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createEvent, MonitoringPolicy, RetrainingDecision } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { RetrainingRepository } from './retraining.repository';
import { ruleOnRetraining } from './retraining-rules';

export interface RetrainingCause {
  modelName: string;
  kind: 'drift' | 'performance';
  eventId: string;
  topic: string;
  summary: string;
}

/**
 * Runs inside the transaction that publishes a drift or degradation event: by the model's policy either enqueues
 * `mlops.training.requested` (the model's last recipe, citing the event) or records why it did not. The decision is
 * kept either way, so every trigger and every suppression can be read back from the API.
 */
@Injectable()
export class TriggerRetraining {
  constructor(
    private readonly retraining: RetrainingRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(manager: EntityManager, policy: MonitoringPolicy, cause: RetrainingCause, now: Date): Promise<RetrainingDecision> {
    const recipe = await this.retraining.recipe(manager, cause.modelName);
    const recent = await this.retraining.requestedSince(manager, cause.modelName, new Date(now.getTime() - 86_400_000));
    const ruling = ruleOnRetraining(policy.retraining, {
      kind: cause.kind,
      now,
      hasRecipe: recipe !== null,
      lastRequestedAt: recent.last,
      requestedLastDay: recent.count,
      runsInProgress: (await this.retraining.running(manager, cause.modelName, now)).length,
    });
    const causeRecord = { eventId: cause.eventId, topic: cause.topic, summary: cause.summary };
    let trainingRequestId: string | null = null;
    if (ruling.decision === 'requested' && recipe) {
      trainingRequestId = randomUUID();
      const request = { ...recipe, requestId: trainingRequestId, requestedBy: 'monitor', reason: `${cause.summary} (${cause.topic} ${cause.eventId})`, cause: causeRecord };
      await this.outbox.enqueue(manager, 'mlops.training.requested', createEvent('mlops.training.requested', request, { source: 'monitor', time: now }));
      await this.retraining.recordRequest(manager, { ...request, hyperparameters: request.hyperparameters }, now);
    }
    const decision: RetrainingDecision = { modelName: cause.modelName, decision: ruling.decision, reason: ruling.reason, cause: causeRecord, trainingRequestId, decidedAt: now.toISOString() };
    await this.retraining.recordDecision(manager, decision);
    return decision;
  }
}
