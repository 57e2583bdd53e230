import { Injectable } from '@nestjs/common';
import type { ServedAtResponse } from '@mlops/contracts';
import { EventHistoryReader } from '../audit-log/event-history';
import { SERVED_AT_TOPICS, servedAt } from './served-at';

/** "What served at T, approved by whom, on which evidence", from the chained events alone. */
@Injectable()
export class FindWhatServed {
  constructor(private readonly eventHistory: EventHistoryReader) {}

  async execute(modelName: string, at: Date): Promise<ServedAtResponse | null> {
    return servedAt(modelName, await this.eventHistory.read(modelName, SERVED_AT_TOPICS, at), at);
  }
}
