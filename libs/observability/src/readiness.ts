/** A dependency the service cannot serve without (Kafka, Postgres, MinIO...). */
export interface ReadinessProbe {
  readonly name: string;
  /** Resolves when the dependency is usable; throws (with the reason) when it is not. */
  check(): Promise<void>;
}

export type CheckResult = { status: 'up' } | { status: 'down'; error: string };

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckResult>;
}

export interface ReadinessOptions {
  /** How long one probe may take before it counts as down: a hung dependency must not hang the readiness check. */
  timeoutMs: number;
  /** False until the service has finished starting (migrations, topics, consumers). */
  isStarted?: () => boolean;
}

/** Runs every probe at once and reports each one, so an operator sees all that is down, not only the first. */
export async function checkReadiness(probes: readonly ReadinessProbe[], options: ReadinessOptions): Promise<ReadinessReport> {
  const checks: Record<string, CheckResult> = {};
  if (options.isStarted) {
    checks.startup = options.isStarted() ? { status: 'up' } : { status: 'down', error: 'the service is still starting' };
  }
  const results = await Promise.all(probes.map((probe) => runProbe(probe, options.timeoutMs)));
  probes.forEach((probe, i) => (checks[probe.name] = results[i]));
  const ready = Object.values(checks).every((check) => check.status === 'up');
  return { status: ready ? 'ready' : 'not_ready', checks };
}

async function runProbe(probe: ReadinessProbe, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // The probe is called inside the race so a probe that throws synchronously is reported like one that rejects.
    await Promise.race([Promise.resolve().then(() => probe.check()), timeout]);
    return { status: 'up' };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
