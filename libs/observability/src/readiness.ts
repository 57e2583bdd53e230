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
  /** Dependencies that are down while the service still does its work without them (it stays ready). */
  servingWithout?: string[];
}

/**
 * Provided (under SERVING_CAPACITY) by a service that keeps doing its work while a dependency is down, as the
 * gateway answers from the models it has loaded: its readiness then follows that work rather than every dependency,
 * so an orchestrator does not take all its replicas out of service for an outage they ride through.
 */
export interface ServingCapacity {
  servesWithoutDependencies(): boolean;
}

export const SERVING_CAPACITY = Symbol('ServingCapacity');

export interface ReadinessOptions {
  /** How long one probe may take before it counts as down: a hung dependency must not hang the readiness check. */
  timeoutMs: number;
  /** False until the service has finished starting (migrations, topics, consumers). */
  isStarted?: () => boolean;
  /** True while the service can serve with its dependencies down; start-up must still have finished. */
  servesWithoutDependencies?: () => boolean;
}

/** Runs every probe at once and reports each one, so an operator sees all that is down, not only the first. */
export async function checkReadiness(probes: readonly ReadinessProbe[], options: ReadinessOptions): Promise<ReadinessReport> {
  const checks: Record<string, CheckResult> = {};
  if (options.isStarted) {
    checks.startup = options.isStarted() ? { status: 'up' } : { status: 'down', error: 'the service is still starting' };
  }
  const results = await Promise.all(probes.map((probe) => runProbe(probe, options.timeoutMs)));
  probes.forEach((probe, i) => (checks[probe.name] = results[i]));
  const down = Object.keys(checks).filter((name) => checks[name].status === 'down');
  if (down.length === 0) return { status: 'ready', checks };
  if (!down.includes('startup') && options.servesWithoutDependencies?.()) return { status: 'ready', checks, servingWithout: down };
  return { status: 'not_ready', checks };
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
