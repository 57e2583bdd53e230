import { Inject, Injectable } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { PlatformRuntime } from '@mlops/service-kit';
import { PollingTicker } from '../polling/polling-ticker';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { FireDueSchedules } from './fire-due-schedules.use-case';

/** Looks for due schedules on a fixed tick once the service has started. */
@Injectable()
export class ScheduleTicker extends PollingTicker {
  constructor(@Inject(TRAINER_CONFIG) config: TrainerConfig, runtime: PlatformRuntime, fireDue: FireDueSchedules, logger: JsonLogger) {
    super({
      everyMs: config.scheduleTickMs,
      runtime,
      pass: () => fireDue.execute(new Date()),
      doing: 'firing due schedules',
      log: logger.child('ScheduleTicker'),
    });
  }
}
