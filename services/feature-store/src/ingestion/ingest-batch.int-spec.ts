import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials, localKafkaConnection } from '@mlops/config';
import { dlqTopic, DLQ_HEADERS } from '@mlops/contracts';
import { createKafka, EventPublisher, RawMessage } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { openMigratedDataSource } from '@mlops/service-kit';
import { FeatureViewDefinition, FeatureViewVersion } from '../definitions/feature-definitions';
import { featureStoreMigrations } from '../migrations';
import { FeatureWriter } from '../storage/feature-writer';
import { HistoryPartitions } from '../storage/history-partitions';
import { DeadLetterOutbox } from './dead-letter-outbox';
import { IngestBatch } from './ingest-batch.use-case';
import type { SourceBatch } from './source-batch';

const DLQ = dlqTopic('feature-store');

/** Fails its next `failures` calls, as a dropped connection or a broker outage would. */
class Flaky {
  failures = 0;

  check(what: string): void {
    if (this.failures > 0) {
      this.failures--;
      throw new Error(`${what} failed (injected)`);
    }
  }
}

/**
 * Ingestion of one source batch against real Postgres and Kafka, redelivered the way kafkajs redelivers a batch
 * whose handler threw or whose offsets were never committed: every refused record reaches the dead-letter topic
 * exactly once, and only once the accepted ones are written.
 */
describe('IngestBatch (Postgres, Kafka)', () => {
  const config = loadPlatformConfig('feature-store', localCredentials('feature-store'));
  // As the admin: it plays the feature store's publisher and reads the dead-letter topic back.
  const kafka = createKafka(localKafkaConnection('admin', 'ingest-batch-int-spec'));
  let dataSource: DataSource;
  let publisher: EventPublisher;
  const flakyWrite = new Flaky();
  const flakyPublish = new Flaky();
  let ingest: IngestBatch;
  let outbox: DeadLetterOutbox;

  beforeAll(async () => {
    dataSource = await openMigratedDataSource(config, featureStoreMigrations);
    publisher = new EventPublisher(kafka);
    const writer = new FeatureWriter(dataSource, new HistoryPartitions(dataSource));
    const write = writer.write.bind(writer);
    writer.write = async (...args: Parameters<FeatureWriter['write']>) => {
      flakyWrite.check('the database write');
      return write(...args);
    };
    const publishRaw = publisher.publishRaw.bind(publisher);
    publisher.publishRaw = async (topic: string, messages: RawMessage[]) => {
      flakyPublish.check('publishing');
      return publishRaw(topic, messages);
    };
    const logger = new JsonLogger({ service: 'feature-store', level: 'warn' });
    outbox = new DeadLetterOutbox(dataSource, publisher, config, logger);
    ingest = new IngestBatch(dataSource, writer, outbox);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await dataSource?.destroy();
  });

  function viewOn(topic: string): FeatureViewVersion {
    const name = `dlq_${randomUUID().slice(0, 8)}`;
    const definition = FeatureViewDefinition.parse({
      name,
      entities: ['customer'],
      source: { topic, eventTimeField: 'ts' },
      schema: [{ name: 'amount', type: 'float64', nullable: false, constraints: { min: 0 } }],
      ttlSeconds: 3600,
      owner: 'test',
    });
    return { name, version: 1, definition, joinKeys: [{ name: 'customer_id', type: 'string' }], schemaHash: 'x', createdAt: '', updatedAt: '' };
  }

  /** A batch of a made-up source topic: offset 7 accepted, 8 out of range, 9 not JSON. */
  function batchOf(topic: string): SourceBatch {
    const record = (amount: number) => Buffer.from(JSON.stringify({ customer_id: 'c1', ts: '2026-01-01T00:00:00Z', amount }));
    return {
      topic,
      partition: 2,
      groupId: 'ingest-batch-int-spec',
      messages: [
        { key: Buffer.from('c1'), value: record(5), offset: '7' },
        { key: Buffer.from('c1'), value: record(-1), offset: '8' },
        { key: null, value: Buffer.from('{not json'), offset: '9' },
      ],
    };
  }

  /** Every dead letter from `topic` on the DLQ up to its current end, read from `from`. */
  async function deadLettersOf(topic: string, from: string): Promise<{ offset: string; reason: string }[]> {
    const high = await dlqEnd();
    const found: { offset: string; reason: string }[] = [];
    if (BigInt(high) <= BigInt(from)) return found;
    const consumer = kafka.consumer({ groupId: `ingest-batch-int-spec-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: DLQ });
    let reachedEnd!: () => void;
    const end = new Promise<void>((resolve) => (reachedEnd = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const header = (name: string) => message.headers?.[name]?.toString();
        if (header(DLQ_HEADERS.sourceTopic) === topic) found.push({ offset: header(DLQ_HEADERS.sourceOffset) ?? '', reason: header(DLQ_HEADERS.error) ?? '' });
        if (BigInt(message.offset) + 1n >= BigInt(high)) reachedEnd();
      },
    });
    consumer.seek({ topic: DLQ, partition: 0, offset: from });
    await end;
    await consumer.disconnect();
    return found.sort((a, b) => Number(a.offset) - Number(b.offset));
  }

  async function dlqEnd(): Promise<string> {
    const admin = kafka.admin();
    await admin.connect();
    const [{ high }] = await admin.fetchTopicOffsets(DLQ);
    await admin.disconnect();
    return high;
  }

  const historyCount = async (view: string) =>
    Number((await dataSource.query('SELECT count(*) AS n FROM feature_store.offline_history WHERE view_name = $1', [view]))[0].n);

  it('dead-letters each refused record once when the batch is delivered again', async () => {
    const topic = `src_${randomUUID().slice(0, 8)}`;
    const view = viewOn(topic);
    const from = await dlqEnd();
    await ingest.apply(batchOf(topic), [view]);
    // The offsets were never committed (a crash, a rebalance): kafkajs hands the same batch over again.
    await ingest.apply(batchOf(topic), [view]);
    expect(await deadLettersOf(topic, from)).toEqual([
      { offset: '8', reason: expect.stringMatching(/field amount: -1 is below the minimum 0/) },
      { offset: '9', reason: expect.stringMatching(/record is not JSON/) },
    ]);
    expect(await historyCount(view.name)).toBe(1);
    const kept = async () =>
      Number((await dataSource.query('SELECT count(*) AS n FROM feature_store.dead_letters WHERE source_topic = $1', [topic]))[0].n);
    await outbox.prune(new Date(Date.now() - 3600_000));
    expect(await kept()).toBe(2);
    await outbox.prune(new Date(Date.now() + 1000));
    expect(await kept()).toBe(0);
  });

  it('dead-letters nothing while the database write fails, and each refused record once when it succeeds', async () => {
    const topic = `src_${randomUUID().slice(0, 8)}`;
    const view = viewOn(topic);
    const from = await dlqEnd();
    flakyWrite.failures = 1;
    await expect(ingest.apply(batchOf(topic), [view])).rejects.toThrow(/injected/);
    expect(await deadLettersOf(topic, from)).toEqual([]);
    await ingest.apply(batchOf(topic), [view]);
    expect((await deadLettersOf(topic, from)).map((letter) => letter.offset)).toEqual(['8', '9']);
    expect(await historyCount(view.name)).toBe(1);
  });

  it('publishes the dead letters of a batch whose publishing failed when the batch comes again, once', async () => {
    const topic = `src_${randomUUID().slice(0, 8)}`;
    const view = viewOn(topic);
    const from = await dlqEnd();
    flakyPublish.failures = 1;
    await expect(ingest.apply(batchOf(topic), [view])).rejects.toThrow(/injected/);
    await ingest.apply(batchOf(topic), [view]);
    await ingest.apply(batchOf(topic), [view]);
    expect((await deadLettersOf(topic, from)).map((letter) => letter.offset)).toEqual(['8', '9']);
  });
});
