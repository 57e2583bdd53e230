export interface RetryLogger {
  warn(message: string): void;
}

export interface RetryOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  isCancelled: () => boolean;
}

export class StartupCancelled extends Error {
  constructor(step: string) {
    super(`startup cancelled while waiting for ${step}`);
  }
}

/**
 * Dependencies may come up after the service (or go away during start); the service keeps trying so that an
 * orchestrator only has to watch /health/ready, instead of crash-looping.
 */
export async function retryUntil<T>(step: string, attempt: () => Promise<T>, logger: RetryLogger, options: RetryOptions): Promise<T> {
  let delay = options.initialDelayMs;
  for (;;) {
    if (options.isCancelled()) throw new StartupCancelled(step);
    try {
      return await attempt();
    } catch (err) {
      logger.warn(`${step} not available yet (${(err as Error).message}); retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs);
    }
  }
}
