import { randomUUID } from 'node:crypto';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher, TopicProvisioner } from '@mlops/messaging';
import { waitFor } from '@mlops/testing';
import { generateApiKey } from './api-key';
import { KeyDirectory, KeyRecord } from './key-directory';
import { API_KEY_TOPIC, KeyDirectoryReader } from './key-directory-reader';
import { hashSecret } from './secret-hash';
import { localKafkaConnection } from '@mlops/config';

const kafka = createKafka(localKafkaConnection('admin', 'key-directory-reader-int-spec'));
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function keyRecord(): Promise<KeyRecord> {
  const key = generateApiKey();
  return {
    keyId: key.keyId,
    principal: { id: randomUUID(), name: 'reader-spec', kind: 'person', roles: ['auditor'] },
    secretHash: await hashSecret(key.secret, { N: 1024, r: 8, p: 1 }),
    createdAt: new Date().toISOString(),
    expiresAt: null,
    revokedAt: null,
    changedBy: 'int-spec',
  };
}

describe('KeyDirectoryReader (real Kafka)', () => {
  const publisher = new EventPublisher(kafka);
  const readers: KeyDirectoryReader[] = [];
  const publish = (record: KeyRecord) => publisher.publish(API_KEY_TOPIC, createEvent(API_KEY_TOPIC, record, { source: 'governance' }));

  beforeAll(async () => {
    await new TopicProvisioner(kafka).ensureTopics([API_KEY_TOPIC]);
    await publisher.connect();
  });

  afterAll(async () => {
    await Promise.all(readers.map((reader) => reader.stop()));
    await publisher.disconnect();
  });

  it('is loaded only once it holds every key written before it started, then follows changes', async () => {
    const before = await keyRecord();
    await publish(before);
    const directory = new KeyDirectory();
    const reader = new KeyDirectoryReader(kafka, directory, { groupPrefix: 'key-directory-reader-int-spec', logger: quiet });
    readers.push(reader);
    await reader.start();
    await waitFor('the directory to load', async () => directory.isLoaded(), { timeoutMs: 30_000 });
    expect(directory.find(before.keyId)).toMatchObject({ keyId: before.keyId, revokedAt: null });

    const revokedAt = new Date().toISOString();
    await publish({ ...before, revokedAt });
    await waitFor('the revocation to arrive', async () => directory.find(before.keyId)?.revokedAt === revokedAt, { timeoutMs: 5000 });
  });
});
