import type { TopicName } from '@mlops/contracts';

/** Streams with a record per prediction or label: the audit keeps per-model hourly counts of them, not copies. */
export const HIGH_VOLUME_TOPICS: ReadonlySet<TopicName> = new Set<TopicName>(['mlops.predictions.logged', 'mlops.labels.observed']);
