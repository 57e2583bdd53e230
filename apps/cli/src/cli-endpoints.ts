import { z } from 'zod';
import { loadConfig } from '@mlops/config';

const url = (fallback: string) => z.url().default(fallback);

/** Where the CLI finds each service; defaults are the local endpoints of `deploy/local/platform up`. */
export const cliEndpointsSchema = z.object({
  MLOPS_REGISTRY_URL: url('http://127.0.0.1:8084'),
  MLOPS_FEATURE_STORE_URL: url('http://127.0.0.1:8082'),
  MLOPS_GOVERNANCE_URL: url('http://127.0.0.1:8085'),
  MLOPS_TRAINER_URL: url('http://127.0.0.1:8086'),
  MLOPS_GATEWAY_URL: url('http://127.0.0.1:8080'),
  MLOPS_MONITOR_URL: url('http://127.0.0.1:8087'),
});

export type CliEndpoints = z.output<typeof cliEndpointsSchema>;

export function loadCliEndpoints(env?: Record<string, string | undefined>): CliEndpoints {
  return loadConfig(cliEndpointsSchema, env);
}
