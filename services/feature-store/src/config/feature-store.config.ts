import { z } from 'zod';
import { Environment, loadConfig } from '@mlops/config';

export const FEATURE_STORE_CONFIG = Symbol('FEATURE_STORE_CONFIG');

export interface FeatureStoreConfig {
  /** GetOnlineFeatures over gRPC; port 0 takes any free port. */
  grpc: { host: string; port: number };
  /** Partitions a feature view's source topic is created with when the topic does not exist yet. */
  sourcePartitions: number;
  /** Consumer group of the source-topic consumers; replicas share it and split the partitions. */
  sourceGroupId: string;
  /** How often every replica looks for views applied elsewhere (its own applies take effect at once). */
  definitionRefreshMs: number;
  /** Label rows joined per SQL statement when building a dataset; `datasetParallelism` chunks (one connection each) run at once. */
  datasetChunkRows: number;
  datasetParallelism: number;
  /** Online rows (one per view and entity, found or not) kept in memory in front of Postgres; 0 reads Postgres every time. */
  onlineCacheEntries: number;
}

const positiveInteger = z
  .string()
  .regex(/^\d+$/, 'expected a whole number of at least 1')
  .transform(Number)
  .refine((n) => n >= 1, 'expected a whole number of at least 1');

const wholeNumber = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number);

const schema = z.object({
  MLOPS_FEATURE_STORE_GRPC_HOST: z.string().min(1).prefault('0.0.0.0'),
  MLOPS_FEATURE_STORE_GRPC_PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'expected a port number 0-65535')
    .transform(Number)
    .refine((port) => port <= 65535, 'expected a port number 0-65535')
    .prefault('8083'),
  MLOPS_FEATURE_STORE_SOURCE_PARTITIONS: positiveInteger.prefault('6'),
  // The feature store's Kafka principal may use only consumer groups under its own prefix.
  MLOPS_FEATURE_STORE_SOURCE_GROUP: z
    .string()
    .regex(/^mlops-feature-store/, 'must start with mlops-feature-store (the consumer groups its Kafka principal may use)')
    .prefault('mlops-feature-store-sources'),
  MLOPS_FEATURE_STORE_DEFINITION_REFRESH_MS: positiveInteger.prefault('2000'),
  MLOPS_FEATURE_STORE_DATASET_CHUNK_ROWS: positiveInteger.prefault('50000'),
  MLOPS_FEATURE_STORE_DATASET_PARALLELISM: positiveInteger.prefault('3'),
  MLOPS_FEATURE_STORE_ONLINE_CACHE_ENTRIES: wholeNumber.prefault('100000'),
});

/** Read once at start, next to the platform settings; `env` is for tests. */
export function loadFeatureStoreConfig(env?: Environment): FeatureStoreConfig {
  const vars = loadConfig(schema, env);
  return {
    grpc: { host: vars.MLOPS_FEATURE_STORE_GRPC_HOST, port: vars.MLOPS_FEATURE_STORE_GRPC_PORT },
    sourcePartitions: vars.MLOPS_FEATURE_STORE_SOURCE_PARTITIONS,
    sourceGroupId: vars.MLOPS_FEATURE_STORE_SOURCE_GROUP,
    definitionRefreshMs: vars.MLOPS_FEATURE_STORE_DEFINITION_REFRESH_MS,
    datasetChunkRows: vars.MLOPS_FEATURE_STORE_DATASET_CHUNK_ROWS,
    datasetParallelism: vars.MLOPS_FEATURE_STORE_DATASET_PARALLELISM,
    onlineCacheEntries: vars.MLOPS_FEATURE_STORE_ONLINE_CACHE_ENTRIES,
  };
}
