// Event backbone throughput on this machine: events written through the transactional outbox, published by the
// relay with the idempotent producer, and applied once each by an idempotent consumer, against the real
// Postgres and Kafka. Prints figures; asserts nothing.
//   node -r @swc-node/register bench/messaging/outbox-throughput.bench.ts [events=20000]
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials } from '@mlops/config';
import { createEvent } from '@mlops/contracts';
import { applyOnce, createKafka, EventConsumer, EventPublisher, messagingMigration, OutboxRelay, OutboxWriter } from '@mlops/messaging';

const TOTAL = Number(process.argv[2] ?? 20_000);
const PER_TRANSACTION = 500;
const TOPIC = 'mlops.training.failed';

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const rate = (count: number, ms: number) => `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;

async function main(): Promise<void> {
  const config = loadPlatformConfig('governance', localCredentials('governance'));
  const schema = `bench_${randomUUID().slice(0, 8)}`;
  const dataSource = new DataSource({ type: 'postgres', url: config.postgres.url, schema, migrations: [messagingMigration(schema)], poolSize: 10 });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  await dataSource.runMigrations();
  await dataSource.query(`CREATE TABLE "${schema}".effects (event_id text PRIMARY KEY)`);
  const kafka = createKafka({ ...config.kafka, clientId: 'bench-outbox' });
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const runTag = `bench-${randomUUID().slice(0, 8)}`;

  try {
    const writer = new OutboxWriter(schema);
    const enqueueStart = Date.now();
    for (let written = 0; written < TOTAL; written += PER_TRANSACTION) {
      await dataSource.transaction(async (manager) => {
        for (let i = written; i < Math.min(written + PER_TRANSACTION, TOTAL); i++) {
          const event = createEvent(TOPIC, { runId: randomUUID(), requestId: randomUUID(), modelName: `${runTag}-${i % 16}`, reason: 'bench', attempts: 1 }, { source: 'trainer' });
          await writer.enqueue(manager, TOPIC, event);
        }
      });
    }
    const enqueueMs = Date.now() - enqueueStart;

    let applied = 0;
    let allApplied: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allApplied = resolve));
    const consumer = new EventConsumer(kafka, { service: 'governance', groupId: `${runTag}-group`, publisher, fromBeginning: false });
    consumer.on(TOPIC, async (event) => {
      if (!event.data.modelName.startsWith(runTag)) return;
      const fresh = await applyOnce(dataSource, schema, 'bench', event.id, async (manager) => {
        await manager.query(`INSERT INTO "${schema}".effects (event_id) VALUES ($1)`, [event.id]);
      });
      if (fresh && ++applied === TOTAL) allApplied();
    });
    await consumer.start();
    // A new group with fromBeginning=false starts at the end only once it has joined; give it the join first.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const relay = new OutboxRelay(dataSource, schema, publisher, { pollIntervalMs: 50, batchSize: 500 });
    const relayStart = Date.now();
    relay.start();
    while ((await relay.pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const relayMs = Date.now() - relayStart;
    await done;
    const endToEndMs = Date.now() - relayStart;
    await relay.stop();
    await consumer.stop();

    console.log(`events                          ${TOTAL.toLocaleString('en-US')} (${PER_TRANSACTION} per transaction)`);
    console.log(`outbox enqueue (Postgres)        ${rate(TOTAL, enqueueMs)}  (${enqueueMs} ms)`);
    console.log(`relay publish (acks=all, idem.)  ${rate(TOTAL, relayMs)}  (${relayMs} ms)`);
    console.log(`outbox -> Kafka -> applied once  ${rate(TOTAL, endToEndMs)}  (${endToEndMs} ms)`);
    console.log(`peak RSS of this process         ${mib(peakRss)}`);
  } finally {
    clearInterval(sampler);
    await publisher.disconnect();
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

main().then(() => process.exit(0), (err: Error) => {
  console.error(err);
  process.exit(1);
});
