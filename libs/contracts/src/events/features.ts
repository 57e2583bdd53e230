import { z } from 'zod';
import { IsoTime, ObjectUri, Sha256, TimeWindow, Uuid } from '../common';

export const DatasetCreated = z.object({
  snapshotId: Uuid,
  featureViews: z.array(z.object({ name: z.string().min(1), version: z.number().int().positive() })).min(1),
  uri: ObjectUri,
  sha256: Sha256,
  rows: z.number().int().nonnegative(),
  schema: z.array(z.object({ name: z.string().min(1), type: z.string().min(1) })),
  timeRange: TimeWindow,
  createdAt: IsoTime,
});
