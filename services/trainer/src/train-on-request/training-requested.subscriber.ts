import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { RecordTrainingJob } from '../training-jobs/record-training-job.use-case';

@Injectable()
export class TrainingRequestedSubscriber implements EventSubscriber {
  constructor(private readonly recordTrainingJob: RecordTrainingJob) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.training.requested', async (event) => {
      await this.recordTrainingJob.execute(event);
    });
  }
}
