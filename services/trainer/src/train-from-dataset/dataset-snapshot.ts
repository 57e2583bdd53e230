import { z } from 'zod';
import { DatasetSnapshot as BuiltSnapshot } from '@mlops/contracts';

/**
 * Where a run's data comes from: a Parquet snapshot in object storage, verified by its sha256. Feature
 * columns are named `<view>__<feature>` for the request's `<view>:<feature>` refs, as the feature store
 * writes them; the label and (for the time split) timestamp columns are named here.
 */
export const DatasetSnapshot = BuiltSnapshot.pick({ snapshotId: true, uri: true, sha256: true }).extend({
  labelColumn: z.string().min(1),
  timestampColumn: z.string().min(1).optional(),
});
export type DatasetSnapshot = z.infer<typeof DatasetSnapshot>;

export const featureColumn = (featureRef: string) => featureRef.replace(':', '__');
