export * from './buckets';
export * from './object-uri';
export * from './storage-errors';
export * from './object-store';
export * from './storage-access-plan';
