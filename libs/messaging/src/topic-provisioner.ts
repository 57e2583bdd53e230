import type { ITopicConfig, Kafka } from 'kafkajs';
import { DLQ_PARTITIONS, dlqTopic, eventCatalog, SERVICE_NAMES, ServiceName, TOPIC_NAMES, TopicName } from '@mlops/contracts';

export interface TopicProvisionerOptions {
  /** 1 suits the single local broker; clustered deployments pass their own. */
  replicationFactor?: number;
}

/**
 * A compacted topic holds current state: old records of a key go once a segment closes, so segments close hourly
 * instead of weekly and compaction starts early, keeping a reader's start-up read short.
 */
const COMPACTED_TOPIC_CONFIG = [
  { name: 'cleanup.policy', value: 'compact' },
  { name: 'segment.ms', value: String(3600_000) },
  { name: 'min.cleanable.dirty.ratio', value: '0.1' },
];

function isCompacted(topic: TopicName): boolean {
  return (eventCatalog[topic] as { compacted?: boolean }).compacted === true;
}

/** The requested catalog topics with their catalog partitions, plus the dead-letter topics of the given services. */
export function topicSpecs(topics: readonly TopicName[], replicationFactor: number, deadLetters: readonly ServiceName[] = SERVICE_NAMES): ITopicConfig[] {
  return [
    ...[...new Set(topics)].map((topic) => ({
      topic,
      numPartitions: eventCatalog[topic].partitions,
      replicationFactor,
      ...(isCompacted(topic) ? { configEntries: COMPACTED_TOPIC_CONFIG } : {}),
    })),
    ...deadLetters.map((service) => ({ topic: dlqTopic(service), numPartitions: DLQ_PARTITIONS, replicationFactor })),
  ];
}

export class TopicProvisioner {
  private readonly replicationFactor: number;

  constructor(
    private readonly kafka: Kafka,
    options: TopicProvisionerOptions = {},
  ) {
    this.replicationFactor = options.replicationFactor ?? 1;
  }

  /**
   * Creates what is missing; existing topics are left as they are, so every service can call it at start. A service
   * asks only for the topics it may write (a principal sees and may create no others); the platform's admin
   * provisions them all before any service starts (`deploy/local/infra up`, the Compose and Helm init jobs).
   */
  async ensureTopics(topics: readonly TopicName[] = TOPIC_NAMES, deadLetters: readonly ServiceName[] = SERVICE_NAMES): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topicSpecs(topics, this.replicationFactor, deadLetters).filter((spec) => !existing.has(spec.topic));
      // Another service may create the same topics meanwhile: kafkajs reports "already exists" as false, not an error.
      if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
  }
}
