import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { PlatformRuntime, retryUntil } from '@mlops/service-kit';
import { StreamRunner } from './stream-runner';

/** The stream starts once the runtime has migrated the schema and reached Kafka, and retries until it is running. */
@Injectable()
export class StreamStarter implements OnApplicationBootstrap {
  private stopped = false;

  constructor(
    private readonly runtime: PlatformRuntime,
    private readonly runner: StreamRunner,
    private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    const log = this.logger.child('StreamStarter');
    const options = { initialDelayMs: 250, maxDelayMs: 5000, isCancelled: () => this.stopped };
    void retryUntil('platform runtime', async () => {
      if (!this.runtime.isStarted()) throw new Error('migrations and Kafka topics not ready');
    }, { warn: () => undefined }, options)
      .then(() => retryUntil('prediction stream', () => this.runner.start(), log, options))
      .catch((error: Error) => log.error(`the prediction stream did not start: ${error.message}`));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }
}
