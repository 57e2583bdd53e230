import { z } from 'zod';
import { s3Endpoint, secret } from './env-values';
import { Environment, loadConfig } from './load-config';

export interface ObjectStoreConfig {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
}

/** The variables naming the object store (S3 API) and the credentials of whoever runs: a service or a CLI user. */
export const objectStoreVariables = {
  MLOPS_S3_ENDPOINT: s3Endpoint.prefault('http://127.0.0.1:9000'),
  // Never defaulted: a service runs with its own credentials, a person with theirs (locally .data/secrets/uploader.env).
  MLOPS_S3_ACCESS_KEY: secret,
  MLOPS_S3_SECRET_KEY: secret,
};

export function objectStoreConfig(vars: z.output<z.ZodObject<typeof objectStoreVariables>>): ObjectStoreConfig {
  return { ...vars.MLOPS_S3_ENDPOINT, accessKey: vars.MLOPS_S3_ACCESS_KEY, secretKey: vars.MLOPS_S3_SECRET_KEY };
}

/** Only the object store's variables, for a process that is no service (the CLI); throws ConfigError naming any bad one. */
export function loadObjectStoreConfig(env: Environment = process.env): ObjectStoreConfig {
  return objectStoreConfig(loadConfig(z.object(objectStoreVariables), env));
}
