import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { RegisterTrainedVersion } from './register-trained-version.use-case';

@Injectable()
export class TrainingCompletedSubscriber implements EventSubscriber {
  constructor(private readonly registerTrainedVersion: RegisterTrainedVersion) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.training.completed', async (event) => {
      await this.registerTrainedVersion.execute(event);
    });
  }
}
