import { z } from 'zod';
import { Environment, loadConfig } from '@mlops/config';

export const TRAINER_CONFIG = Symbol('TRAINER_CONFIG');

export interface TrainerConfig {
  /** Base URL of the feature store's HTTP API (historical retrieval). */
  featureStoreUrl: string;
  /** Failed attempts at one request (over all deliveries and instances) before mlops.training.failed. */
  maxAttempts: number;
}

const schema = z.object({
  MLOPS_TRAINER_FEATURE_STORE_URL: z.url({ error: 'expected an http:// or https:// URL' }).prefault('http://127.0.0.1:8082'),
  MLOPS_TRAINER_MAX_ATTEMPTS: z.coerce
    .number({ error: 'expected a whole number of attempts' })
    .int('expected a whole number of attempts')
    .positive('expected at least 1 attempt')
    .prefault('3'),
});

export function loadTrainerConfig(env?: Environment): TrainerConfig {
  const vars = loadConfig(schema, env);
  return { featureStoreUrl: vars.MLOPS_TRAINER_FEATURE_STORE_URL.replace(/\/+$/, ''), maxAttempts: vars.MLOPS_TRAINER_MAX_ATTEMPTS };
}
