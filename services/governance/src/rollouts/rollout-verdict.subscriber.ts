import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { DecideRollout } from './decide-rollout.use-case';

@Injectable()
export class RolloutVerdictSubscriber implements EventSubscriber {
  constructor(private readonly decideRollout: DecideRollout) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.monitor.rollout-verdict', async (event) => void (await this.decideRollout.fromVerdict(event)));
  }
}
