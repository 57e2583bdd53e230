import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { DEFAULT_HTTP_PORTS, Environment, loadConfig } from '@mlops/config';

export const TRAINER_CONFIG = Symbol('TRAINER_CONFIG');

export interface TrainerConfig {
  /** Base URL of the feature store's HTTP API (historical retrieval). */
  featureStoreUrl: string;
  /**
   * A dataset the store has not answered within this long counts as a transient failure and is retried: a job
   * waiting on a store that never answers would otherwise hold its renewed lease forever.
   */
  featureStoreTimeoutMs: number;
  /** Failed attempts at one request (over all deliveries and instances) before mlops.training.failed. */
  maxAttempts: number;
  /** How often an instance looks for due training schedules. */
  scheduleTickMs: number;
  /** Base URL of the registry's HTTP API (the champion to evaluate on a run's holdout). */
  registryUrl: string;
  /** Training jobs: how many one instance runs at once, how long a claim holds, how often an idle runner looks. */
  jobs: TrainingJobsConfig;
}

export interface TrainingJobsConfig {
  concurrency: number;
  /** A claim not renewed for this long (its instance died) is taken by another runner; renewed at a third of it. */
  leaseMs: number;
  pollMs: number;
  /** Cap of the delay before a failed job is tried again; the delay doubles from pollMs. */
  maxBackoffMs: number;
}

const milliseconds = (min: number) =>
  z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(min, `expected at least ${min} ms`);

const schema = z.object({
  MLOPS_TRAINER_FEATURE_STORE_URL: z.url({ error: 'expected an http:// or https:// URL' }).prefault('http://127.0.0.1:8082'),
  MLOPS_TRAINER_FEATURE_STORE_TIMEOUT_MS: milliseconds(1000).prefault('600000'),
  MLOPS_TRAINER_MAX_ATTEMPTS: z.coerce
    .number({ error: 'expected a whole number of attempts' })
    .int('expected a whole number of attempts')
    .positive('expected at least 1 attempt')
    .prefault('3'),
  MLOPS_TRAINER_SCHEDULE_TICK_MS: milliseconds(100).prefault('5000'),
  MLOPS_TRAINER_REGISTRY_URL: z.url({ error: 'expected an http:// or https:// URL' }).prefault(`http://127.0.0.1:${DEFAULT_HTTP_PORTS.registry}`),
  MLOPS_TRAINER_JOB_CONCURRENCY: z.coerce
    .number({ error: 'expected a whole number of jobs' })
    .int('expected a whole number of jobs')
    .positive('expected at least 1 job')
    .prefault('2'),
  MLOPS_TRAINER_JOB_LEASE_MS: milliseconds(300).prefault('60000'),
  MLOPS_TRAINER_JOB_POLL_MS: milliseconds(50).prefault('1000'),
  MLOPS_TRAINER_JOB_MAX_BACKOFF_MS: milliseconds(50).prefault('60000'),
});

export function loadTrainerConfig(env?: Environment): TrainerConfig {
  const vars = loadConfig(schema, env);
  return {
    featureStoreUrl: vars.MLOPS_TRAINER_FEATURE_STORE_URL.replace(/\/+$/, ''),
    featureStoreTimeoutMs: vars.MLOPS_TRAINER_FEATURE_STORE_TIMEOUT_MS,
    maxAttempts: vars.MLOPS_TRAINER_MAX_ATTEMPTS,
    scheduleTickMs: vars.MLOPS_TRAINER_SCHEDULE_TICK_MS,
    registryUrl: vars.MLOPS_TRAINER_REGISTRY_URL.replace(/\/+$/, ''),
    jobs: {
      concurrency: vars.MLOPS_TRAINER_JOB_CONCURRENCY,
      leaseMs: vars.MLOPS_TRAINER_JOB_LEASE_MS,
      pollMs: vars.MLOPS_TRAINER_JOB_POLL_MS,
      maxBackoffMs: vars.MLOPS_TRAINER_JOB_MAX_BACKOFF_MS,
    },
  };
}

export const CUSTOM_TRAINING_CONFIG = Symbol('CUSTOM_TRAINING_CONFIG');

/** Bring-your-own training (`algorithm: custom`): where registered trainers live and how long they may run. */
export interface CustomTrainingConfig {
  /** Absolute directory holding one folder per trainer name, each with an executable `train`; null: custom training is off. */
  trainersDir: string | null;
  /** Wall-clock limit of one trainer run; past it the whole process group gets SIGTERM. */
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL of the process group. */
  killGraceMs: number;
  /** Bytes of output kept as the run log; beyond it only the tail is kept. */
  logMaxBytes: number;
  /**
   * The only variables a trainer's process inherits: enough to find its interpreter, never the trainer's own
   * settings or credentials.
   */
  processEnv: Record<string, string>;
}

const seconds = (what: string) =>
  z.coerce.number({ error: `expected ${what} in seconds` }).positive(`expected ${what} above 0 seconds`);

const customSchema = z.object({
  MLOPS_TRAINER_CUSTOM_TRAINERS_DIR: z
    .string()
    .refine((dir) => isAbsolute(dir), 'expected an absolute path')
    .refine((dir) => existsSync(dir) && statSync(dir).isDirectory(), 'expected an existing directory')
    .optional(),
  MLOPS_TRAINER_CUSTOM_TIMEOUT_SECONDS: seconds('a timeout').prefault('3600'),
  MLOPS_TRAINER_CUSTOM_KILL_GRACE_SECONDS: seconds('a grace period').prefault('10'),
  MLOPS_TRAINER_RUN_LOG_MAX_BYTES: z.coerce
    .number({ error: 'expected a number of bytes' })
    .int('expected a whole number of bytes')
    .min(1024, 'expected at least 1024 bytes')
    .prefault('1048576'),
  PATH: z.string().prefault('/usr/local/bin:/usr/bin:/bin'),
  HOME: z.string().optional(),
  LANG: z.string().optional(),
});

export function loadCustomTrainingConfig(env?: Environment): CustomTrainingConfig {
  const vars = loadConfig(customSchema, env);
  return {
    trainersDir: vars.MLOPS_TRAINER_CUSTOM_TRAINERS_DIR ?? null,
    timeoutMs: Math.round(vars.MLOPS_TRAINER_CUSTOM_TIMEOUT_SECONDS * 1000),
    killGraceMs: Math.round(vars.MLOPS_TRAINER_CUSTOM_KILL_GRACE_SECONDS * 1000),
    logMaxBytes: vars.MLOPS_TRAINER_RUN_LOG_MAX_BYTES,
    processEnv: {
      PATH: vars.PATH,
      ...(vars.HOME ? { HOME: vars.HOME } : {}),
      ...(vars.LANG ? { LANG: vars.LANG } : {}),
    },
  };
}

/** Everything the trainer reads for itself: its own section and custom training's. */
export interface TrainerSettings {
  trainer: TrainerConfig;
  customTraining: CustomTrainingConfig;
}

export function loadTrainerSettings(env?: Environment): TrainerSettings {
  return { trainer: loadTrainerConfig(env), customTraining: loadCustomTrainingConfig(env) };
}
