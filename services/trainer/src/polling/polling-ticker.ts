import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { JsonLogger } from '@mlops/observability';
import type { PlatformRuntime } from '@mlops/service-kit';

export interface PollingTickerOptions {
  everyMs: number;
  /** Ticks wait for the service to have started: the tables a pass reads exist only then. */
  runtime: Pick<PlatformRuntime, 'isStarted'>;
  pass: () => Promise<unknown>;
  /** What a pass does, to name it in the warning when it fails: "claiming training jobs". */
  doing: string;
  log: JsonLogger;
}

/**
 * Runs a pass on a fixed tick once the service has started. A tick that finds the last pass still under way
 * lets it be rather than start a second beside it; a failed pass is only logged, as the next tick tries again.
 * The timer does not keep the process alive; shutdown stops the ticks and waits for the pass under way.
 */
export class PollingTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: PollingTickerOptions) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.options.everyMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    const { runtime, pass, doing, log } = this.options;
    if (this.running || !runtime.isStarted()) return;
    this.running = pass()
      .then(() => undefined)
      .catch((err: Error) => log.warn(`${doing} failed, retrying next tick: ${err.message}`))
      .finally(() => (this.running = null));
  }
}
