import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { backoffDelay } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { TrainOnRequest } from '../train-on-request/train-on-request.use-case';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { TrainingMetrics } from '../training-runs/training-metrics';
import { ClaimedJob, TrainingJobRepository } from './training-job.repository';

/**
 * Claims queued training jobs while this instance has free slots and runs each through TrainOnRequest under a
 * lease renewed at a third of its length. A job that throws (an outage, or a failure of the request below the
 * attempt bound) goes back to the queue with a doubling delay; its outcome, when there is one, ends it in the
 * transaction that records it. A job whose instance died is claimed again once its lease lapses.
 */
@Injectable()
export class RunTrainingJobs {
  private readonly running = new Set<Promise<void>>();
  private readonly log: JsonLogger;

  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    private readonly jobs: TrainingJobRepository,
    private readonly trainOnRequest: TrainOnRequest,
    private readonly metrics: TrainingMetrics,
    logger: JsonLogger,
  ) {
    this.log = logger.child('RunTrainingJobs');
  }

  /** Starts every claimable job a free slot can take, then counts those left waiting; returns without awaiting them. */
  async claimAvailable(): Promise<void> {
    while (this.running.size < this.config.jobs.concurrency) {
      const owner = randomUUID();
      const job = await this.jobs.claim(owner, this.config.jobs.leaseMs);
      if (!job) break;
      const run = this.run(job, owner).finally(() => this.running.delete(run));
      this.running.add(run);
    }
    this.metrics.jobsQueued(await this.jobs.countQueued());
  }

  /** Resolves when the jobs started so far have ended. */
  async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private async run(job: ClaimedJob, owner: string): Promise<void> {
    const { requestId } = job.event.data;
    const renewal = setInterval(() => void this.renew(requestId, owner), Math.floor(this.config.jobs.leaseMs / 3));
    try {
      await this.trainOnRequest.execute(job.event);
      await this.jobs.finish(requestId);
    } catch (err) {
      const delayMs = backoffDelay(job.tries + 1, { initialBackoffMs: this.config.jobs.pollMs, maxBackoffMs: this.config.jobs.maxBackoffMs });
      const reason = (err as Error).message;
      this.log.warn(`training request ${requestId} failed (try ${job.tries + 1}), retrying in ${delayMs} ms: ${reason}`);
      await this.jobs.retryLater(requestId, owner, delayMs, reason).catch((error: Error) => {
        this.log.warn(`training request ${requestId} not put back in the queue, its lease will lapse instead: ${error.message}`);
      });
    } finally {
      clearInterval(renewal);
    }
  }

  private async renew(requestId: string, owner: string): Promise<void> {
    try {
      if (!(await this.jobs.renew(requestId, owner, this.config.jobs.leaseMs))) {
        this.log.warn(`lease on training request ${requestId} lapsed and another runner may hold it; its run is recorded once either way`);
      }
    } catch (err) {
      this.log.warn(`lease on training request ${requestId} not renewed: ${(err as Error).message}`);
    }
  }
}
