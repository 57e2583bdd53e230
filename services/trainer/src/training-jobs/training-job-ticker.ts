import { Inject, Injectable } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { PlatformRuntime } from '@mlops/service-kit';
import { PollingTicker } from '../polling/polling-ticker';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { RunTrainingJobs } from './run-training-jobs.use-case';

/**
 * Looks for claimable training jobs on a fixed tick once the service has started. At shutdown it waits for the
 * claiming pass but not for the runs it started, which may last an hour: their leases lapse and another
 * instance takes them.
 */
@Injectable()
export class TrainingJobTicker extends PollingTicker {
  constructor(@Inject(TRAINER_CONFIG) config: TrainerConfig, runtime: PlatformRuntime, runJobs: RunTrainingJobs, logger: JsonLogger) {
    super({
      everyMs: config.jobs.pollMs,
      runtime,
      pass: () => runJobs.claimAvailable(),
      doing: 'claiming training jobs',
      log: logger.child('TrainingJobTicker'),
    });
  }
}
