import { Injectable } from '@nestjs/common';
import type { ScheduledRequestTemplate, TrainingSchedule } from '@mlops/contracts';
import { CronSchedule } from './cron-schedule';
import { TrainingScheduleRepository } from './training-schedule.repository';

/**
 * Creates or replaces a model's schedule; its first firing is the cron's next minute after now. A cron
 * expression that does not parse or never fires throws InvalidCronExpression.
 */
@Injectable()
export class SetTrainingSchedule {
  constructor(private readonly schedules: TrainingScheduleRepository) {}

  async execute(modelName: string, schedule: { cron: string; enabled: boolean; request: ScheduledRequestTemplate }): Promise<TrainingSchedule> {
    const cron = CronSchedule.parse(schedule.cron);
    return this.schedules.upsert({ modelName, cron: cron.source, request: schedule.request, enabled: schedule.enabled, nextFireAt: cron.nextAfter(new Date()) });
  }
}
