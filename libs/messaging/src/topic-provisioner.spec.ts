import { DLQ_PARTITIONS, eventCatalog, SERVICE_NAMES } from '@mlops/contracts';
import { topicSpecs } from './topic-provisioner';

describe('topicSpecs', () => {
  it('gives catalog topics their catalog partitions and adds every service dead-letter topic', () => {
    const specs = topicSpecs(['mlops.predictions.logged', 'mlops.training.requested'], 3);
    const catalogSpec = (topic: 'mlops.predictions.logged' | 'mlops.training.requested') => ({
      topic,
      numPartitions: eventCatalog[topic].partitions,
      replicationFactor: 3,
    });
    expect(specs).toEqual([
      catalogSpec('mlops.predictions.logged'),
      catalogSpec('mlops.training.requested'),
      ...SERVICE_NAMES.map((service) => ({
        topic: `mlops.dlq.${service}`,
        numPartitions: DLQ_PARTITIONS,
        replicationFactor: 3,
      })),
    ]);
    expect(specs[0].numPartitions).toBe(12);
  });

  it('creates state topics compacted and leaves event topics to time retention', () => {
    const [keys, logged] = topicSpecs(['mlops.governance.api-key-changed', 'mlops.predictions.logged'], 1);
    expect(keys.configEntries).toEqual(expect.arrayContaining([{ name: 'cleanup.policy', value: 'compact' }]));
    expect(logged.configEntries).toBeUndefined();
  });

  it('asks for a topic once even when it is listed twice', () => {
    const names = topicSpecs(['mlops.labels.observed', 'mlops.labels.observed'], 1).map((spec) => spec.topic);
    expect(names.filter((name) => name === 'mlops.labels.observed')).toHaveLength(1);
  });
});
