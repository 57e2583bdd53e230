import type { ServiceName } from './services';

/** Dead-letter topic of one service: records it could not parse or apply, with the reason. */
export function dlqTopic(service: ServiceName): `mlops.dlq.${ServiceName}` {
  return `mlops.dlq.${service}`;
}

/** Headers carried by a dead-lettered record next to its original bytes. */
export const DLQ_HEADERS = {
  error: 'mlops-dlq-error',
  stage: 'mlops-dlq-stage',
  sourceTopic: 'mlops-dlq-source-topic',
  sourcePartition: 'mlops-dlq-source-partition',
  sourceOffset: 'mlops-dlq-source-offset',
  consumer: 'mlops-dlq-consumer',
  failedAt: 'mlops-dlq-failed-at',
} as const;

export const DLQ_PARTITIONS = 1;
