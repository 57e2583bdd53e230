import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { RegisterTrainedReference } from './register-trained-reference.use-case';

@Injectable()
export class VersionRegisteredSubscriber implements EventSubscriber {
  constructor(private readonly registerTrainedReference: RegisterTrainedReference) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.registry.version-registered', async (event) => {
      await this.registerTrainedReference.execute(event);
    });
  }
}
