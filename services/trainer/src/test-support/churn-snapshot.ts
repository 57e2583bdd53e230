import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { ParquetStreamWriter } from '@mlops/ml';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import type { DatasetSnapshot } from '../train-from-dataset/dataset-snapshot';
import type { TrainingRequest } from '../training-requests/training-request';

/**
 * A snapshot as the feature store writes it (join key, event time, label, `<view>__<feature>` columns), stored
 * in MinIO: `rows` customers whose churn follows their minutes and tickets, with a few missing values. The
 * noisy rule leaves the holdout AUC high but below 1, for comparing a model's own metrics with the platform's.
 */
export async function storeChurnSnapshot(store: ObjectStore, rows: number, rule: 'clean' | 'noisy' = 'clean'): Promise<DatasetSnapshot & { timestampColumn: string }> {
  const out = new PassThrough();
  const upload = store.putContentAddressed(BUCKETS.datasets, 'feature-store/test/trainer', out, { contentType: 'application/vnd.apache.parquet' });
  const writer = new ParquetStreamWriter(
    [
      { name: 'customer_id', type: 'string', optional: false },
      { name: 'event_time', type: 'timestamp-millis', optional: false },
      { name: 'churned', type: 'int64', optional: true },
      { name: 'usage__minutes', type: 'double', optional: true },
      { name: 'usage__tickets', type: 'int64', optional: true },
    ],
    out,
    { rowGroupRows: 256 },
  );
  const minutes = Float64Array.from({ length: rows }, (_, r) => ((r * 7919) % 1000) / 10);
  const tickets = Float64Array.from({ length: rows }, (_, r) => (r * 31) % 6);
  const churned = (r: number) => (rule === 'clean' ? minutes[r] < 40 || tickets[r] > 3 : minutes[r] + 15 * tickets[r] + ((r * 37) % 41) < 110);
  await writer.append(rows, [
    { values: Array.from({ length: rows }, (_, r) => `c${r}`) },
    { values: BigInt64Array.from({ length: rows }, (_, r) => BigInt(Date.UTC(2026, 0, 1) + r * 60_000)) },
    { values: BigInt64Array.from({ length: rows }, (_, r) => (churned(r) ? 1n : 0n)) },
    { values: minutes, present: Uint8Array.from({ length: rows }, (_, r) => (r % 50 === 7 ? 0 : 1)) },
    { values: BigInt64Array.from(tickets, BigInt) },
  ]);
  await writer.close();
  const stored = await upload;
  return { snapshotId: randomUUID(), uri: stored.uri, sha256: stored.sha256, labelColumn: 'churned', timestampColumn: 'event_time' };
}
/** A GBDT request over the churn snapshot's two features, with a 25% time holdout. */
export function churnRequest(overrides: Partial<TrainingRequest> = {}): TrainingRequest {
  return {
    requestId: randomUUID(),
    modelName: `trainer-it-${randomUUID().slice(0, 8)}`,
    featureRefs: ['usage:minutes', 'usage:tickets'],
    labelSource: { kind: 'feature', featureRef: 'labels:churned' },
    algorithm: 'gbdt_classifier',
    hyperparameters: { numIterations: 30, minChildSamples: 5 },
    split: { policy: 'time', holdoutFraction: 0.25 },
    seed: 7,
    requestedBy: 'integration-test',
    ...overrides,
  };
}
