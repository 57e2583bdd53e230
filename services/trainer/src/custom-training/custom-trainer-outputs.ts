import { lastLines } from './output-tail';
import type { TrainerProcessOutcome } from './trainer-process';

/** Lines of a trainer's output quoted in a failure reason. */
export const REASON_LINES = 20;

/** metrics.json must be one JSON object of finite numbers; they are kept as `reported_<name>`. */
export function parseReportedMetrics(text: string): { metrics: Record<string, number> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: `metrics.json is not JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'metrics.json must hold a JSON object of metric name to number' };
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return { error: `metrics.json: ${JSON.stringify(name)} is not a metric name (letters, digits, "_", ".", "-")` };
    if (typeof value !== 'number' || !Number.isFinite(value)) return { error: `metrics.json: ${name} must be a finite number, got ${JSON.stringify(value)}` };
    metrics[`reported_${name}`] = value;
  }
  return { metrics };
}

/** How the process ended, or null when it exited 0 in time. */
export function describeExit(outcome: Pick<TrainerProcessOutcome, 'exitCode' | 'signal' | 'timedOut'>, timeoutMs: number): string | null {
  if (outcome.timedOut) return `timed out after ${timeoutMs / 1000}s (process group killed)`;
  if (outcome.signal) return `killed by signal ${outcome.signal}`;
  if (outcome.exitCode !== 0) return `exit code ${outcome.exitCode}`;
  return null;
}

/** A failure reason: the trainer, what went wrong, and the last lines it printed. */
export function failureReason(trainer: string, what: string, output: string): string {
  const lines = lastLines(output, REASON_LINES);
  const tail = lines.length > 0 ? `; last ${lines.length} lines of output:\n${lines.join('\n')}` : '; it printed nothing';
  return `custom trainer ${trainer} failed: ${what}${tail}`;
}
