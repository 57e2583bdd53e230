import { z } from 'zod';
import { loadConfig, s3Endpoint, secret } from '@mlops/config';
import type { S3Config } from '@mlops/storage';

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

/**
 * Object storage as the person running the CLI: files they upload (backfills) go under `uploads/`, with their own
 * uploader credentials (locally: .data/secrets/uploader.env), never a service's.
 */
const cliStorageSchema = z.object({
  MLOPS_S3_ENDPOINT: s3Endpoint.prefault('http://127.0.0.1:9000'),
  MLOPS_S3_ACCESS_KEY: secret,
  MLOPS_S3_SECRET_KEY: secret,
});

export function loadCliStorage(env?: Record<string, string | undefined>): S3Config {
  const vars = loadConfig(cliStorageSchema, env);
  return { ...vars.MLOPS_S3_ENDPOINT, accessKey: vars.MLOPS_S3_ACCESS_KEY, secretKey: vars.MLOPS_S3_SECRET_KEY };
}
