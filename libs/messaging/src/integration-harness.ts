// Shared by the *.int-spec.ts files: the local infrastructure started by deploy/local/infra, and helpers that keep
// each test on its own resources (schemas, consumer groups, Kafka keys) while other suites use the same broker.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { withAdmin } from './kafka-admin';
import { createKafka } from './kafka-client';
import { messagingMigration } from './messaging-migration';
import { localKafkaConnection, localPostgresUrl } from '@mlops/config';

export const LOCAL_KAFKA = localKafkaConnection('admin', 'messaging-int-spec');
const LOCAL_POSTGRES_URL = localPostgresUrl('admin');
const REPO_ROOT = resolve(__dirname, '../../..');

export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export function localKafka(): Kafka {
  return createKafka(LOCAL_KAFKA);
}

/** A DataSource on a fresh schema holding the messaging tables; `drop()` removes the schema and closes. */
export async function openTestSchema(): Promise<{ dataSource: DataSource; schema: string; drop(): Promise<void> }> {
  const schema = uniqueName('msg_test_');
  const dataSource = new DataSource({
    type: 'postgres',
    url: LOCAL_POSTGRES_URL,
    schema,
    migrations: [messagingMigration(schema)],
    migrationsTableName: 'migrations',
    poolSize: 5,
  });
  await dataSource.initialize();
  // TypeORM keeps its migrations table in the DataSource schema, which must exist before the first migration.
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  await dataSource.runMigrations();
  return {
    dataSource,
    schema,
    async drop() {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}

/**
 * Commits the current end of each topic for a not-yet-started group, so the group sees exactly the records
 * produced from now on: neither the history left by earlier runs nor a race with its first fetch.
 */
export async function positionGroupAtEnd(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    // Real offsets: kafkajs' resetOffsets commits the symbolic "latest", which a new group ignores.
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const partitions = ends.map(({ partition, high }) => ({ partition, offset: high }));
      await admin.setOffsets({ groupId, topic, partitions });
    }
  });
}

export interface TappedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Records a topic from the moment it is opened, through its own consumer group. */
export class TopicTap {
  readonly records: TappedRecord[] = [];

  private constructor(private readonly consumer: ReturnType<Kafka['consumer']>) {}

  static async open(kafka: Kafka, topic: string): Promise<TopicTap> {
    const groupId = uniqueName('msg-test-tap-');
    await positionGroupAtEnd(kafka, groupId, [topic]);
    const tap = new TopicTap(kafka.consumer({ groupId }));
    await tap.consumer.connect();
    await tap.consumer.subscribe({ topics: [topic] });
    await tap.consumer.run({ eachMessage: async ({ message }) => void tap.records.push(toTapped(message)) });
    return tap;
  }

  withKey(key: string): TappedRecord[] {
    return this.records.filter((record) => record.key?.toString('utf8') === key);
  }

  close(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function toTapped(message: KafkaMessage): TappedRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = value.toString();
  }
  return { key: message.key, value: message.value, headers };
}

/** Polls until `check` returns a value other than undefined; the deadline only bounds a broken test. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Waits until `read()` holds at least `count` items, and returns them. */
export function atLeast<T>(count: number, read: () => T[], what: string, timeoutMs?: number): Promise<T[]> {
  return eventually(
    () => {
      const items = read();
      return items.length >= count ? items : undefined;
    },
    what,
    timeoutMs,
  );
}

/** deploy/local/infra stop-kafka | restart-kafka (the latter returns once the broker answers). */
export async function infra(command: 'stop-kafka' | 'restart-kafka'): Promise<void> {
  await promisify(execFile)('bash', ['deploy/local/infra', command], { cwd: REPO_ROOT, timeout: 180_000 });
}
