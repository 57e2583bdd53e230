import { z } from 'zod';
import { ConfigError, ConfigProblem } from './config-error';
import { shownValue } from './shown-value';

export type Environment = Record<string, string | undefined>;

/**
 * Validates the variables a schema names (its keys are the env var names) and returns the parsed values.
 * An empty variable counts as unset, so `FOO=` in a compose file falls back to the default instead of failing.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Environment = process.env): z.output<S> {
  const input: Environment = {};
  for (const variable of Object.keys(schema.shape)) {
    input[variable] = env[variable] === '' ? undefined : env[variable];
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, input)));
}

function describeIssue(issue: z.core.$ZodIssue, input: Environment): ConfigProblem {
  const variable = String(issue.path[0] ?? '(configuration)');
  const value = input[variable];
  if (value === undefined && issue.code === 'invalid_type') return { variable, reason: 'required but not set' };
  return { variable, reason: `${issue.message}, got ${shownValue(variable, value)}` };
}
