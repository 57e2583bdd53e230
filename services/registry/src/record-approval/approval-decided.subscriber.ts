import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { RecordApproval } from './record-approval.use-case';

@Injectable()
export class ApprovalDecidedSubscriber implements EventSubscriber {
  constructor(private readonly recordApproval: RecordApproval) {}

  subscribe(consumer: EventConsumer): void {
    consumer.on('mlops.governance.approval-decided', async (event) => {
      await this.recordApproval.execute(event);
    });
  }
}
