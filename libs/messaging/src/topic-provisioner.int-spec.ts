import { DLQ_PARTITIONS, dlqTopic, eventCatalog, SERVICE_NAMES, TOPIC_NAMES } from '@mlops/contracts';
import { localKafka } from './integration-harness';
import { TopicProvisioner } from './topic-provisioner';

describe('TopicProvisioner against the local broker', () => {
  const kafka = localKafka();

  it('creates every catalog and dead-letter topic with its partitions, and can run again', async () => {
    const provisioner = new TopicProvisioner(kafka);
    await provisioner.ensureTopics();
    await provisioner.ensureTopics();

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({
        topics: [...TOPIC_NAMES, ...SERVICE_NAMES.map((service) => dlqTopic(service))],
      });
      const partitions = Object.fromEntries(topics.map((topic) => [topic.name, topic.partitions.length]));
      for (const topic of TOPIC_NAMES) expect(partitions[topic]).toBe(eventCatalog[topic].partitions);
      for (const service of SERVICE_NAMES) expect(partitions[dlqTopic(service)]).toBe(DLQ_PARTITIONS);
    } finally {
      await admin.disconnect();
    }
  });
});
