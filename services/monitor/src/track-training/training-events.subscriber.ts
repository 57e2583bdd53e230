import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { TrackTraining } from './track-training.use-case';

@Injectable()
export class TrainingEventsSubscriber implements EventSubscriber {
  constructor(private readonly trackTraining: TrackTraining) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.training.requested', async (event) => {
      await this.trackTraining.requested(event);
    });
    consumer.on('mlops.training.completed', async (event) => {
      await this.trackTraining.finished(event, 'completed');
    });
    consumer.on('mlops.training.failed', async (event) => {
      await this.trackTraining.finished(event, 'failed');
    });
  }
}
