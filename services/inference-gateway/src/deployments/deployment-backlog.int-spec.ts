import { randomUUID } from 'node:crypto';
import { localKafkaConnection } from '@mlops/config';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { DeploymentBacklog, DEPLOYMENT_TOPIC } from './deployment-backlog';
import { DeploymentInput, uniqueModelName } from '../testing/gateway-harness';

// A fresh replica used to replay every deployment-changed record one after another, loading each old revision (and
// retrying its missing artifacts) before the next: on a long-lived broker it was busy for minutes. The backlog it
// starts from is folded to the newest revision per model, read up to where the topic ended, and nothing after.

describe('deployment backlog: the history a replica starts from, newest revision per model', () => {
  const models = [uniqueModelName('gw-backlog-a'), uniqueModelName('gw-backlog-b')];
  const groupId = `mlops-inference-gateway-backlog-spec-${randomUUID().slice(0, 8)}`;
  const kafka = createKafka(localKafkaConnection('admin', `backlog-spec-${randomUUID().slice(0, 8)}`));
  const publisher = new EventPublisher(kafka);
  const warnings: string[] = [];

  const publish = (modelName: string, revision: number) => {
    const data: DeploymentInput = { modelName, revision, champion: null, challenger: null, changedBy: 'backlog-spec', reason: 'test', effectiveFrom: new Date().toISOString() };
    return publisher.publish(DEPLOYMENT_TOPIC, createEvent(DEPLOYMENT_TOPIC, data, { source: 'registry' }));
  };

  beforeAll(async () => {
    for (let revision = 1; revision <= 5; revision++) await publish(models[0], revision);
    for (let revision = 1; revision <= 3; revision++) await publish(models[1], revision);
  });

  afterAll(async () => {
    await publisher.disconnect();
  });

  it('folds every revision read to the newest per model and stops where the topic ended', async () => {
    const backlog = new DeploymentBacklog(kafka, groupId, { warn: (message: string) => void warnings.push(message) });
    const { newest, ends, records } = await backlog.read();
    const ours = newest.filter((change) => models.includes(change.modelName)).map((change) => [change.modelName, change.revision]);
    expect(ours.sort()).toEqual([[models[0], 5], [models[1], 3]].sort());
    expect(new Set(newest.map((change) => change.modelName)).size).toBe(newest.length);
    expect(records).toBeGreaterThanOrEqual(8);
    expect(records).toBeGreaterThan(newest.length);
    console.log(`backlog: ${records} record(s) folded to ${newest.length} model(s); ${warnings.length} skipped`);

    // What comes after the ends is the live consumer's: the group's offsets are set there for it to start from.
    await backlog.commitEnds(ends);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [DEPLOYMENT_TOPIC] });
      expect(committed.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(ends.map((e) => [e.partition, e.offset]).sort());
      await admin.deleteGroups([groupId]);
    } finally {
      await admin.disconnect();
    }
  });
});
