import { z } from 'zod';
import { TrainingRequested } from '@mlops/contracts';

/** What a schedule fires: a training request without the parts each firing fills in. */
export const ScheduledRequestTemplate = TrainingRequested.omit({
  requestId: true,
  modelName: true,
  requestedBy: true,
  reason: true,
});
export type ScheduledRequestTemplate = z.output<typeof ScheduledRequestTemplate>;

export interface TrainingSchedule {
  modelName: string;
  cron: string;
  request: ScheduledRequestTemplate;
  enabled: boolean;
  nextFireAt: string;
  lastFiredAt: string | null;
  lastRequestId: string | null;
}
