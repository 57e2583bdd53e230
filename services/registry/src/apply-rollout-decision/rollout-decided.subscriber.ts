import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { ApplyRolloutDecision } from './apply-rollout-decision.use-case';

@Injectable()
export class RolloutDecidedSubscriber implements EventSubscriber {
  constructor(private readonly applyRolloutDecision: ApplyRolloutDecision) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.governance.rollout-decided', async (event) => {
      await this.applyRolloutDecision.execute(event);
    });
  }
}
