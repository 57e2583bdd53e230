import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEvent, type PlatformEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { CronSchedule } from './cron-schedule';
import { DueSchedule, TrainingScheduleRepository } from './training-schedule.repository';

const BATCH = 50;

/**
 * Publishes mlops.training.requested for every schedule that is due, through the outbox in the transaction that
 * moves the schedule on, so a firing is neither lost nor doubled across restarts and instances. Firings missed
 * while no trainer ran are not replayed one by one: a late schedule fires once, then waits for its next slot.
 */
@Injectable()
export class FireDueSchedules {
  private readonly log: JsonLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schedules: TrainingScheduleRepository,
    private readonly outbox: OutboxWriter,
    logger: JsonLogger,
  ) {
    this.log = logger.child('FireDueSchedules');
  }

  /** Returns the request ids published. */
  async execute(now: Date): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const due = await this.schedules.lockDue(manager, now, BATCH);
      const published: string[] = [];
      for (const schedule of due) {
        const requestId = firingRequestId(schedule);
        const next = CronSchedule.parse(schedule.cron).nextAfter(now);
        const event = this.requestEvent(schedule, requestId);
        if (!event) {
          // A template stored before a contract change: it must not hold back every other schedule's firing.
          await this.schedules.markSkipped(manager, schedule.modelName, next);
          continue;
        }
        await this.outbox.enqueue(manager, 'mlops.training.requested', event);
        await this.schedules.markFired(manager, schedule.modelName, schedule.dueAt, requestId, next);
        this.log.log(`schedule of ${schedule.modelName} fired training request ${requestId}`);
        published.push(requestId);
      }
      return published;
    });
  }

  /** The slot's request, or null (logged) when the stored template no longer meets the request's contract. */
  private requestEvent(schedule: DueSchedule, requestId: string): PlatformEvent<'mlops.training.requested'> | null {
    try {
      return createEvent(
        'mlops.training.requested',
        {
          ...schedule.request,
          requestId,
          modelName: schedule.modelName,
          requestedBy: 'schedule',
          reason: `schedule "${schedule.cron}" due at ${schedule.dueAt.toISOString()}`,
        },
        { source: 'trainer', id: requestId },
      );
    } catch (err) {
      this.log.error(`schedule of ${schedule.modelName} skipped its slot: its stored request no longer meets the contract (${(err as Error).message}); set it again`);
      return null;
    }
  }
}

/** One id per (model, slot): should a slot ever fire twice, both carry the same request id, which the trainer runs once. */
export function firingRequestId(schedule: Pick<DueSchedule, 'modelName' | 'dueAt'>): string {
  const hex = createHash('sha256').update(`${schedule.modelName}\n${schedule.dueAt.toISOString()}`).digest('hex');
  // RFC 9562 version 8 (custom) with the RFC variant bits.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
