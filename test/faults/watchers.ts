import { ServiceName } from '@mlops/contracts';
import { metricSum, PlatformStack } from '@mlops/testing';
import { answersReady, metricsOf } from './recovery';

/** A loop that runs `sample` every `intervalMs` until stopped. */
abstract class Sampler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly intervalMs: number) {}

  start(): void {
    const tick = () => {
      this.running = this.sample().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  abstract sample(): Promise<void>;
}

/**
 * The prediction logs each gateway process said it dropped. The counter lives in the process, so it is kept per
 * process id: a process killed -9 takes its count with it, and the last sample before the kill is what is known.
 */
export class DroppedLogs extends Sampler {
  private readonly byProcess = new Map<number, number>();

  constructor(private readonly stack: PlatformStack) {
    super(1000);
  }

  async sample(): Promise<void> {
    const pid = this.stack.pid('inference-gateway');
    const exposition = await metricsOf(this.stack, 'inference-gateway');
    if (pid !== undefined && exposition !== undefined) this.byProcess.set(pid, metricSum(exposition, 'mlops_inference_gateway_prediction_log_dropped_total'));
  }

  get total(): number {
    return [...this.byProcess.values()].reduce((sum, n) => sum + n, 0);
  }
}

/** What one service's readiness endpoint answered, every half second. */
export class ReadinessLog extends Sampler {
  readonly samples: { at: number; ready: boolean }[] = [];

  constructor(
    private readonly stack: PlatformStack,
    private readonly service: ServiceName,
  ) {
    super(500);
  }

  async sample(): Promise<void> {
    const at = Date.now();
    this.samples.push({ at, ready: await answersReady(this.stack, this.service) });
  }

  between(from: number, to: number): { ready: number; notReady: number } {
    const within = this.samples.filter((s) => s.at >= from && s.at <= to);
    return { ready: within.filter((s) => s.ready).length, notReady: within.filter((s) => !s.ready).length };
  }
}
