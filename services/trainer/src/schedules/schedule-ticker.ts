import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { PlatformRuntime } from '@mlops/service-kit';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { FireDueSchedules } from './fire-due-schedules.use-case';

/** Looks for due schedules on a fixed tick once the service has started (its tables exist only then). */
@Injectable()
export class ScheduleTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly log: JsonLogger;

  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    private readonly runtime: PlatformRuntime,
    private readonly fireDue: FireDueSchedules,
    logger: JsonLogger,
  ) {
    this.log = logger.child('ScheduleTicker');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.scheduleTickMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || !this.runtime.isStarted()) return;
    this.running = this.fireDue
      .execute(new Date())
      .then(() => undefined)
      .catch((err: Error) => this.log.warn(`firing due schedules failed, retrying next tick: ${err.message}`))
      .finally(() => (this.running = null));
  }
}
