import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { TrainOnRequest } from './train-on-request.use-case';

@Injectable()
export class TrainingRequestedSubscriber implements EventSubscriber {
  constructor(private readonly trainOnRequest: TrainOnRequest) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.training.requested', async (event) => {
      await this.trainOnRequest.execute(event);
    });
  }
}
