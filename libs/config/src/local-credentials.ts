import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { brokerList, KAFKA_SASL_MECHANISMS, KafkaSasl, s3Endpoint } from './env-values';
import type { Environment } from './load-config';

const SECRETS_DIR = join(__dirname, '..', '..', '..', '.data', 'secrets');
const LOCAL_KAFKA = '127.0.0.1:9092';
const LOCAL_S3 = 'http://127.0.0.1:9000';

/**
 * The credentials `deploy/local/infra` generated for one principal on this machine (a service, `admin`, `app`,
 * `uploader` or `producer-<name>`), as environment variables. For local tools and tests only: a deployed service gets
 * its secrets from its environment (Compose secrets, Kubernetes Secrets), never from a file of ours.
 */
export function localCredentials(principal: string): Environment {
  const file = join(SECRETS_DIR, `${principal}.env`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no local credentials for ${principal} in ${file}: run \`bash deploy/local/infra up\` first`);
  }
  return parseEnv(text);
}

function required(env: Environment, variable: string, principal: string): string {
  const value = env[variable];
  if (!value) throw new Error(`the local credentials of ${principal} have no ${variable}`);
  return value;
}

/** A Kafka connection on the local broker as `principal` (tests use `admin`, the broker's super user). */
export function localKafkaConnection(principal: string, clientId: string): { brokers: string[]; clientId: string; sasl: KafkaSasl } {
  const env = localCredentials(principal);
  const mechanism = (env.MLOPS_KAFKA_SASL_MECHANISM ?? 'scram-sha-512') as KafkaSasl['mechanism'];
  if (!KAFKA_SASL_MECHANISMS.includes(mechanism)) throw new Error(`unknown SASL mechanism ${mechanism} for ${principal}`);
  return {
    brokers: brokerList.parse(env.MLOPS_KAFKA_BROKERS ?? LOCAL_KAFKA),
    clientId,
    sasl: { mechanism, username: required(env, 'MLOPS_KAFKA_USERNAME', principal), password: required(env, 'MLOPS_KAFKA_PASSWORD', principal) },
  };
}

/** The local MinIO as `principal` (tests use `admin`, MinIO's root user). */
export function localS3(principal: string): { endPoint: string; port: number; useSSL: boolean; accessKey: string; secretKey: string } {
  const env = localCredentials(principal);
  return {
    ...s3Endpoint.parse(env.MLOPS_S3_ENDPOINT ?? LOCAL_S3),
    accessKey: required(env, 'MLOPS_S3_ACCESS_KEY', principal),
    secretKey: required(env, 'MLOPS_S3_SECRET_KEY', principal),
  };
}

/** The local database as `principal`: a service's own role, or `admin` (the database owner, member of every service role). */
export function localPostgresUrl(principal: string): string {
  return required(localCredentials(principal), 'MLOPS_POSTGRES_URL', principal);
}
