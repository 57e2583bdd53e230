import { hostname, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { Environment, loadConfig } from '@mlops/config';

const wholeNumber = (fallback: string) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .prefault(fallback);

const schema = z.object({
  MLOPS_GATEWAY_REGISTRY_URL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).prefault('http://127.0.0.1:8084'),
  MLOPS_GATEWAY_FEATURE_STORE_URL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).prefault('http://127.0.0.1:8082'),
  /** Longest wait for one online lookup before the request is answered 503. */
  MLOPS_GATEWAY_FEATURE_STORE_TIMEOUT_MS: wholeNumber('2000'),
  MLOPS_GATEWAY_GRPC_HOST: z.string().prefault('0.0.0.0'),
  MLOPS_GATEWAY_GRPC_PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'expected a port number 0-65535')
    .transform(Number)
    .refine((port) => port <= 65535, 'expected a port number 0-65535')
    .prefault('8081'),
  /**
   * Names this replica's consumer group of deployment changes; two replicas must not share one, or each would see
   * only some changes. The host name is unique per pod or container.
   */
  MLOPS_GATEWAY_REPLICA_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit')
    .prefault(hostname()),
  /** Largest HTTP request body and gRPC message; larger ones are refused (413, RESOURCE_EXHAUSTED) unread. */
  MLOPS_GATEWAY_MAX_REQUEST_BYTES: wholeNumber(String(16 * 1024 * 1024)),
  /** HTTP/2 streams (calls) one gRPC connection may have open at once; more are refused with REFUSED_STREAM. */
  MLOPS_GATEWAY_GRPC_MAX_CONCURRENT_STREAMS: wholeNumber('100'),
  /** Inference (and model metadata) only with an API key whose role grants inference:call, e.g. `app`. */
  MLOPS_GATEWAY_REQUIRE_KEY: z.enum(['true', 'false'], { error: 'expected true or false' }).prefault('false'),
  /** Rows a single request may carry; larger requests are refused before anything runs. */
  MLOPS_GATEWAY_MAX_REQUEST_ROWS: wholeNumber('4096'),
  /** Dynamic batching: rows per coalesced run; 0 or 1 keeps it off for every model. */
  MLOPS_GATEWAY_BATCH_MAX_SIZE: wholeNumber('32'),
  MLOPS_GATEWAY_BATCH_MAX_DELAY_US: wholeNumber('500'),
  /**
   * Batching applies to models whose input row holds at most this many elements (0: any size). Small tabular
   * models are where a run's fixed cost outweighs the row's own work, and where the benchmark shows coalescing
   * pays; bigger models stay at one run per request, for latency.
   */
  MLOPS_GATEWAY_BATCH_MAX_ROW_ELEMENTS: wholeNumber('1024'),
  MLOPS_GATEWAY_PREDICTION_LOG_BUFFER: wholeNumber('50000'),
  /** Bytes of the ring the records wait in (their tensors included); a record that does not fit is dropped. */
  MLOPS_GATEWAY_PREDICTION_LOG_BUFFER_BYTES: wholeNumber(String(64 * 1024 * 1024)),
  /**
   * Records per hand-over to the log worker. At 1000 the worker's bursts (about 10 ms of encoding and producing on
   * a core the request thread and the client also need) put the p99 at half the maximum rate at 4.5-5.3 ms for gRPC,
   * 4.1-4.2 ms for HTTP; at 250 it was 3.9-4.1 and 3.6-3.9 ms, for a few percent of the maximum rate.
   */
  MLOPS_GATEWAY_PREDICTION_LOG_BATCH: wholeNumber('250'),
  MLOPS_GATEWAY_PREDICTION_LOG_FLUSH_MS: wholeNumber('50'),
  /**
   * Where prediction logs wait on disk while the broker does not take them (one directory per replica: a second
   * process is refused it). Unset: under the system's temporary directory, named after the replica id.
   */
  MLOPS_GATEWAY_PREDICTION_SPOOL_DIR: z.string().refine(isAbsolute, 'expected an absolute path').optional(),
  /**
   * The spool's bound; records past it are dropped and counted. 1 GiB holds about 25 minutes of logs at 1,000
   * requests a second of a 20-feature model (about 700 bytes each). 0 turns the spool off.
   */
  MLOPS_GATEWAY_PREDICTION_SPOOL_MAX_BYTES: wholeNumber(String(1024 * 1024 * 1024)),
});

/** Wait between tries to replay the spool while the broker stays away. */
const SPOOL_RETRY_MS = 1000;

export interface GatewayConfig {
  registryUrl: string;
  /** The feature store's online API, for requests that name entity keys instead of carrying features. */
  featureStore: { url: string; timeoutMs: number };
  grpc: { host: string; port: number; maxConcurrentStreams: number };
  replicaId: string;
  maxRequestBytes: number;
  /** Off: callers without a key may infer (a key given is still checked). */
  requireKey: boolean;
  maxRequestRows: number;
  batching: { maxBatchSize: number; maxQueueDelayUs: number; maxRowElements: number };
  predictionLog: {
    bufferSize: number;
    bufferBytes: number;
    batchSize: number;
    flushIntervalMs: number;
    /** Null when turned off. */
    spool: { dir: string; maxBytes: number; retryMs: number } | null;
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** The gateway's own settings, read once at start; throws ConfigError naming each wrong variable. */
export function loadGatewayConfig(env?: Environment): GatewayConfig {
  const vars = loadConfig(schema, env);
  return {
    registryUrl: vars.MLOPS_GATEWAY_REGISTRY_URL.replace(/\/+$/, ''),
    featureStore: { url: vars.MLOPS_GATEWAY_FEATURE_STORE_URL.replace(/\/+$/, ''), timeoutMs: Math.max(1, vars.MLOPS_GATEWAY_FEATURE_STORE_TIMEOUT_MS) },
    grpc: { host: vars.MLOPS_GATEWAY_GRPC_HOST, port: vars.MLOPS_GATEWAY_GRPC_PORT, maxConcurrentStreams: Math.max(1, vars.MLOPS_GATEWAY_GRPC_MAX_CONCURRENT_STREAMS) },
    replicaId: vars.MLOPS_GATEWAY_REPLICA_ID,
    maxRequestBytes: Math.max(1024, vars.MLOPS_GATEWAY_MAX_REQUEST_BYTES),
    requireKey: vars.MLOPS_GATEWAY_REQUIRE_KEY === 'true',
    maxRequestRows: Math.max(1, vars.MLOPS_GATEWAY_MAX_REQUEST_ROWS),
    batching: {
      maxBatchSize: vars.MLOPS_GATEWAY_BATCH_MAX_SIZE,
      maxQueueDelayUs: vars.MLOPS_GATEWAY_BATCH_MAX_DELAY_US,
      maxRowElements: vars.MLOPS_GATEWAY_BATCH_MAX_ROW_ELEMENTS,
    },
    predictionLog: {
      bufferSize: Math.max(1, vars.MLOPS_GATEWAY_PREDICTION_LOG_BUFFER),
      bufferBytes: Math.max(64 * 1024, vars.MLOPS_GATEWAY_PREDICTION_LOG_BUFFER_BYTES),
      batchSize: Math.max(1, vars.MLOPS_GATEWAY_PREDICTION_LOG_BATCH),
      flushIntervalMs: Math.max(1, vars.MLOPS_GATEWAY_PREDICTION_LOG_FLUSH_MS),
      spool:
        vars.MLOPS_GATEWAY_PREDICTION_SPOOL_MAX_BYTES === 0
          ? null
          : {
              dir: vars.MLOPS_GATEWAY_PREDICTION_SPOOL_DIR ?? join(tmpdir(), 'mlops-prediction-spool', vars.MLOPS_GATEWAY_REPLICA_ID),
              maxBytes: vars.MLOPS_GATEWAY_PREDICTION_SPOOL_MAX_BYTES,
              retryMs: SPOOL_RETRY_MS,
            },
    },
  };
}
