export interface BackoffPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** Delay before retry number `retry` (1-based): doubles from the initial delay, never above the cap. */
export function backoffDelay(retry: number, policy: BackoffPolicy): number {
  return Math.min(policy.initialBackoffMs * 2 ** (retry - 1), policy.maxBackoffMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
