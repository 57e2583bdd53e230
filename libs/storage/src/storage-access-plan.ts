import type { ServiceName } from '@mlops/contracts';
import { BUCKETS } from './buckets';

export type StorageAccess = 'read' | 'read-write';

/** Part of a bucket a service may use: objects whose keys start with `prefix`. */
export interface StorageGrant {
  bucket: string;
  prefix: string;
  access: StorageAccess;
}

/**
 * Where each service's objects live, and who may read them. Models are written only by the registry and read by
 * the gateway; a training run's outputs only by the trainer; datasets only by the feature store; files people bring
 * (label sets, backfills) are uploaded under `uploads/` with the uploader's own credentials.
 */
export const STORAGE_GRANTS: Record<ServiceName, readonly StorageGrant[]> = {
  registry: [
    { bucket: BUCKETS.artifacts, prefix: 'models/', access: 'read-write' },
    { bucket: BUCKETS.artifacts, prefix: 'runs/', access: 'read' },
  ],
  trainer: [
    { bucket: BUCKETS.artifacts, prefix: 'runs/', access: 'read-write' },
    { bucket: BUCKETS.artifacts, prefix: 'models/', access: 'read' },
    { bucket: BUCKETS.datasets, prefix: 'feature-store/', access: 'read' },
    { bucket: BUCKETS.datasets, prefix: 'uploads/', access: 'read' },
  ],
  'feature-store': [
    { bucket: BUCKETS.datasets, prefix: 'feature-store/', access: 'read-write' },
    { bucket: BUCKETS.datasets, prefix: 'uploads/', access: 'read' },
  ],
  'inference-gateway': [{ bucket: BUCKETS.artifacts, prefix: 'models/', access: 'read' }],
  monitor: [
    { bucket: BUCKETS.artifacts, prefix: 'runs/', access: 'read' },
    { bucket: BUCKETS.artifacts, prefix: 'models/', access: 'read' },
    { bucket: BUCKETS.datasets, prefix: 'feature-store/', access: 'read' },
    { bucket: BUCKETS.reports, prefix: 'monitor/', access: 'read-write' },
  ],
  governance: [
    { bucket: BUCKETS.artifacts, prefix: 'runs/', access: 'read' },
    { bucket: BUCKETS.reports, prefix: 'cards/', access: 'read-write' },
  ],
};

/** People's uploads through the CLI: label sets and backfill files, which the feature store and trainer read. */
export const UPLOADER_GRANTS: readonly StorageGrant[] = [{ bucket: BUCKETS.datasets, prefix: 'uploads/', access: 'read-write' }];

interface PolicyStatement {
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

const READ_ACTIONS = ['s3:GetObject'];
const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/**
 * An S3 (MinIO) IAM policy allowing exactly the grants: objects under each prefix, listing only those prefixes, and
 * the bucket names (readiness checks that the platform's buckets exist).
 */
export function storagePolicy(grants: readonly StorageGrant[]): { Version: string; Statement: PolicyStatement[] } {
  const objects = (access: StorageAccess) =>
    grants.filter((g) => access === 'read' || g.access === 'read-write').map((g) => `arn:aws:s3:::${g.bucket}/${g.prefix}*`);
  const statements: PolicyStatement[] = [
    { Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: ['arn:aws:s3:::*'] },
    { Effect: 'Allow', Action: READ_ACTIONS, Resource: objects('read') },
  ];
  const writable = objects('read-write');
  if (writable.length > 0) statements.push({ Effect: 'Allow', Action: WRITE_ACTIONS, Resource: writable });
  for (const bucket of [...new Set(grants.map((g) => g.bucket))]) {
    const prefixes = grants.filter((g) => g.bucket === bucket).map((g) => g.prefix);
    statements.push({
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [`arn:aws:s3:::${bucket}`],
      Condition: { StringLike: { 's3:prefix': prefixes.flatMap((p) => [p, `${p}*`]) } },
    });
    if (grants.some((g) => g.bucket === bucket && g.access === 'read-write')) {
      statements.push({ Effect: 'Allow', Action: ['s3:ListBucketMultipartUploads'], Resource: [`arn:aws:s3:::${bucket}`] });
    }
  }
  return { Version: '2012-10-17', Statement: statements };
}
