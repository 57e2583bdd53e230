import type { ITopicConfig, Kafka } from 'kafkajs';
import { DLQ_PARTITIONS, dlqTopic, eventCatalog, SERVICE_NAMES, TOPIC_NAMES, TopicName } from '@mlops/contracts';

export interface TopicProvisionerOptions {
  /** 1 suits the single local broker; clustered deployments pass their own. */
  replicationFactor?: number;
}

/** The requested catalog topics with their catalog partitions, plus every service's dead-letter topic. */
export function topicSpecs(topics: readonly TopicName[], replicationFactor: number): ITopicConfig[] {
  return [
    ...[...new Set(topics)].map((topic) => ({
      topic,
      numPartitions: eventCatalog[topic].partitions,
      replicationFactor,
    })),
    ...SERVICE_NAMES.map((service) => ({ topic: dlqTopic(service), numPartitions: DLQ_PARTITIONS, replicationFactor })),
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

  /** Creates what is missing; existing topics are left as they are, so every service can call it at start. */
  async ensureTopics(topics: readonly TopicName[] = TOPIC_NAMES): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topicSpecs(topics, this.replicationFactor).filter((spec) => !existing.has(spec.topic));
      // Another service may create the same topics meanwhile: kafkajs reports "already exists" as false, not an error.
      if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
  }
}
