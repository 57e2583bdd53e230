import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import type { DatasetSnapshot } from '../train-from-dataset/dataset-snapshot';
import type { TrainingRequest } from '../train-from-dataset/train-from-dataset.use-case';

/**
 * A snapshot as the feature store writes it (join key, event time, label, `<view>__<feature>` columns), stored
 * in MinIO: `rows` customers whose churn follows their minutes and tickets, with a few missing values. The
 * noisy rule leaves the holdout AUC high but below 1, for comparing a model's own metrics with the platform's.
 */
export async function storeChurnSnapshot(store: ObjectStore, rows: number, rule: 'clean' | 'noisy' = 'clean'): Promise<DatasetSnapshot & { timestampColumn: string }> {
  const { ParquetSchema, ParquetWriter } = await import('@dsnp/parquetjs');
  const schema = new ParquetSchema({
    customer_id: { type: 'UTF8' },
    event_time: { type: 'TIMESTAMP_MILLIS' },
    churned: { type: 'INT64', optional: true },
    usage__minutes: { type: 'DOUBLE', optional: true },
    usage__tickets: { type: 'INT64', optional: true },
  });
  const dir = mkdtempSync(join(tmpdir(), 'trainer-snapshot-'));
  try {
    const path = join(dir, 'snapshot.parquet');
    const writer = await ParquetWriter.openFile(schema, path, { rowGroupSize: 256 });
    for (let r = 0; r < rows; r++) {
      const minutes = ((r * 7919) % 1000) / 10;
      const tickets = (r * 31) % 6;
      const churned = (rule === 'clean' ? minutes < 40 || tickets > 3 : minutes + 15 * tickets + ((r * 37) % 41) < 110) ? 1 : 0;
      await writer.appendRow({
        customer_id: `c${r}`,
        event_time: new Date(Date.UTC(2026, 0, 1) + r * 60_000),
        churned: BigInt(churned),
        ...(r % 50 === 7 ? {} : { usage__minutes: minutes }),
        usage__tickets: BigInt(tickets),
      });
    }
    await writer.close();
    const stored = await store.putBuffer(BUCKETS.datasets, `feature-store/test/trainer/${randomUUID()}.parquet`, readFileSync(path));
    return { snapshotId: randomUUID(), uri: stored.uri, sha256: stored.sha256, labelColumn: 'churned', timestampColumn: 'event_time' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
