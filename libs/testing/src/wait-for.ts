export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** An error the probe throws that no amount of waiting can cure: it ends the wait at once. */
  stopOn?: (err: unknown) => boolean;
}

/**
 * Polls until `probe` returns a value other than undefined/false. The failure message carries the last error so a
 * timeout explains itself.
 */
export async function waitFor<T>(description: string, probe: () => Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError = 'condition not met';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      if (options.stopOn?.(err)) throw new Error(`gave up waiting for ${description}: ${(err as Error).message}`);
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}: ${lastError}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
