import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { RecordPlatformFacts } from './record-platform-facts.use-case';

@Injectable()
export class PlatformFactsSubscriber implements EventSubscriber {
  constructor(private readonly recordFacts: RecordPlatformFacts) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.training.requested', async (event) => void (await this.recordFacts.trainingRequested(event)));
    consumer.on('mlops.training.completed', async (event) => void (await this.recordFacts.trainingCompleted(event)));
    consumer.on('mlops.registry.version-registered', async (event) => void (await this.recordFacts.versionRegistered(event)));
    consumer.on('mlops.registry.deployment-changed', async (event) => void (await this.recordFacts.deploymentChanged(event)));
  }
}
