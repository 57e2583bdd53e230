import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { PlatformRuntime } from '@mlops/service-kit';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { RunTrainingJobs } from './run-training-jobs.use-case';

/**
 * Looks for claimable training jobs on a fixed tick once the service has started (its tables exist only then).
 * At shutdown it stops claiming but does not wait for runs under way, which may last an hour: their leases
 * lapse and another instance takes them.
 */
@Injectable()
export class TrainingJobTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private claiming: Promise<void> | null = null;
  private readonly log: JsonLogger;

  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    private readonly runtime: PlatformRuntime,
    private readonly runJobs: RunTrainingJobs,
    logger: JsonLogger,
  ) {
    this.log = logger.child('TrainingJobTicker');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.jobs.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.claiming;
  }

  private tick(): void {
    if (this.claiming || !this.runtime.isStarted()) return;
    this.claiming = this.runJobs
      .claimAvailable()
      .catch((err: Error) => this.log.warn(`claiming training jobs failed, retrying next tick: ${err.message}`))
      .finally(() => (this.claiming = null));
  }
}
