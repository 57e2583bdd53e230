// Governance in-process against real Kafka, MinIO and a Postgres database of its own, for the *.int-spec.ts files:
// the chain is global to a database, so tampering with it or counting it must not touch the one other suites share.
// Its platform subscribers are off: events reach it through the harness's own consumer group (the audit trail) or
// straight through its use cases, never through the service's group, which other branches' governance may share.
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { Client } from 'pg';
import type { Role } from '@mlops/auth';
import { loadPlatformConfig, localCredentials, localPostgresUrl } from '@mlops/config';
import { createEvent, createHttpClient, decodeEvent, EventInput, governanceRoutes, type HttpClient, PlatformEvent, ServiceName, TOPIC_NAMES, TopicName } from '@mlops/contracts';
import { EventConsumer, withAdmin } from '@mlops/messaging';
import { bootstrapService, RunningService } from '@mlops/service-kit';
import { publishTestKeys, serviceTestKey, testApiKey, testAuth, waitFor } from '@mlops/testing';
import { governanceService } from '../governance.service';
import { PlatformEventsSubscriber } from '../record-audit-entry/platform-events.subscriber';

// The local server as the platform's admin (the database owner, who may create databases).
const SERVER_URL = localPostgresUrl('admin').replace(/\/[^/]*$/, '');

export const uniqueName = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;

/** A database of the test's own on the shared server; `drop()` removes it. */
export async function createPrivateDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName('mlops_governance_test_');
  await withClient(`${SERVER_URL}/mlops`, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: `${SERVER_URL}/${name}`,
    drop: () => withClient(`${SERVER_URL}/mlops`, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

type Positions = Map<string, { partition: number; offset: string }[]>;

async function endsOf(admin: Admin, topics: readonly string[]): Promise<Positions> {
  const ends: Positions = new Map();
  for (const topic of topics) ends.set(topic, (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high })));
  return ends;
}

/**
 * Commits the given offsets for the group (which must not be consuming otherwise): where it reads from next. One
 * member joins for all topics at once; kafkajs' admin.setOffsets joins once per topic, seconds each.
 */
async function commitPositions(kafka: Kafka, groupId: string, positions: Positions): Promise<void> {
  const member = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await member.connect();
  try {
    const joined = new Promise<void>((resolve) => member.on(member.events.GROUP_JOIN, () => resolve()));
    await member.subscribe({ topics: [...positions.keys()], fromBeginning: false });
    await member.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await joined;
    await member.commitOffsets([...positions].flatMap(([topic, partitions]) => partitions.map(({ partition, offset }) => ({ topic, partition, offset }))));
  } finally {
    await member.disconnect();
  }
}

const PRODUCERS: Record<string, ServiceName> = {
  features: 'feature-store',
  training: 'trainer',
  registry: 'registry',
  governance: 'governance',
  predictions: 'inference-gateway',
  monitor: 'monitor',
};

/** A platform event as the service producing its topic would publish it. */
export function platformEvent<T extends TopicName>(topic: T, data: EventInput<T>, options: { time?: Date; id?: string } = {}): PlatformEvent<T> {
  return createEvent(topic, data, { source: PRODUCERS[topic.split('.')[1]] ?? 'registry', ...options });
}

const TAPPED: TopicName[] = ['mlops.governance.approval-requested', 'mlops.governance.approval-decided', 'mlops.governance.rollout-decided'];

/** Subscribed from the end of each topic, and only resolves once the group has its partitions. */
async function openTap(tap: Consumer, records: PlatformEvent<TopicName>[]): Promise<void> {
  const joined = new Promise<void>((resolve) => tap.on(tap.events.GROUP_JOIN, () => resolve()));
  await tap.connect();
  await tap.subscribe({ topics: TAPPED, fromBeginning: false });
  await tap.run({
    eachMessage: async ({ topic, message }) => {
      const decoded = decodeEvent(topic as TopicName, message.value);
      if (decoded.ok) records.push(decoded.event);
    },
  });
  await joined;
}

export class GovernanceHarness {
  private constructor(
    readonly running: RunningService,
    readonly consumer: EventConsumer,
    readonly groupId: string,
    readonly db: Client,
    private readonly database: { url: string; drop(): Promise<void> },
    private readonly startPositions: Positions,
    private readonly tap: Consumer,
    private readonly tapped: PlatformEvent<TopicName>[],
  ) {}

  /**
   * Governance with its HTTP API, consuming every platform topic from now on through a consumer group of its own,
   * and reading the approval and rollout events it publishes.
   */
  static async start(): Promise<GovernanceHarness> {
    const database = await createPrivateDatabase();
    // As the platform's admin: a private database, and a consumer group outside governance's own.
    const config = loadPlatformConfig('governance', {
      ...localCredentials('admin'),
      MLOPS_POSTGRES_URL: database.url,
      MLOPS_HTTP_HOST: '127.0.0.1',
      MLOPS_HTTP_PORT: '0',
      MLOPS_LOG_LEVEL: 'warn',
    });
    // The service's own key, read from the environment at start as in production; the test keys known to the guard.
    process.env.MLOPS_SERVICE_API_KEY = serviceTestKey('governance');
    await publishTestKeys();
    const running = await bootstrapService({ ...governanceService, subscribers: [] }, config);
    await running.ready;
    const groupId = uniqueName('governance-int-');
    const { kafka, publisher } = running.runtime;
    const consumer = new EventConsumer(kafka, {
      service: 'governance',
      groupId,
      publisher,
      retry: { attempts: 3, initialBackoffMs: 100, maxBackoffMs: 500 },
    });
    running.app.get(PlatformEventsSubscriber).subscribe(consumer);
    // Exactly the records produced from now on: neither the history of the shared topics nor a race with the first fetch.
    const startPositions = await withAdmin(kafka, (admin) => endsOf(admin, TOPIC_NAMES));
    await commitPositions(kafka, groupId, startPositions);
    await consumer.start();
    const tap = kafka.consumer({ groupId: uniqueName('governance-int-tap-') });
    const tapped: PlatformEvent<TopicName>[] = [];
    await openTap(tap, tapped);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    return new GovernanceHarness(running, consumer, groupId, db, database, startPositions, tap, tapped);
  }

  get databaseUrl(): string {
    return this.database.url;
  }

  /** Kafka delivers again everything the harness consumed on these topics; resolves once it has caught up. */
  async redeliverFromStart(topics: readonly TopicName[]): Promise<void> {
    const kafka = this.running.runtime.kafka;
    await this.consumer.stop();
    await commitPositions(kafka, this.groupId, new Map(topics.map((topic) => [topic, this.startPositions.get(topic) ?? []])));
    const ends = await withAdmin(kafka, (admin) => endsOf(admin, topics));
    await this.consumer.start();
    await waitFor('the redelivered records consumed', () =>
      withAdmin(kafka, async (admin) => {
        const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: [...topics] });
        return committed.every(({ topic, partitions }) =>
          partitions.every(({ partition, offset }) => {
            const end = ends.get(topic)?.find((p) => p.partition === partition)?.offset ?? '0';
            return BigInt(offset) >= BigInt(end);
          }),
        );
      }),
    );
  }

  get app(): INestApplication {
    return this.running.app;
  }

  get url(): string {
    const address = (this.running.app.getHttpServer() as Server).address();
    if (!address || typeof address !== 'object') throw new Error('governance is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async publish<T extends TopicName>(topic: T, data: EventInput<T>, options: { time?: Date; id?: string } = {}): Promise<PlatformEvent<T>> {
    const event = platformEvent(topic, data, options);
    await this.running.runtime.publisher.publish(topic, event);
    return event;
  }

  /** Decoded approval and rollout events governance published about one model, in the order they were read. */
  eventsOf<T extends TopicName>(topic: T, modelName: string): PlatformEvent<T>[] {
    return this.tapped.filter((e) => e.subject === modelName && e.type.startsWith(`${topic}.v`)) as PlatformEvent<T>[];
  }

  /** Waits until `count` events of the topic about the model were read, and a moment more to catch any extra. */
  async awaitEvents<T extends TopicName>(topic: T, modelName: string, count: number): Promise<PlatformEvent<T>[]> {
    await waitFor(`${count} ${topic} about ${modelName}`, async () => this.eventsOf(topic, modelName).length >= count, { timeoutMs: 30_000, intervalMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    return this.eventsOf(topic, modelName);
  }

  /** Governance's typed client, as a test principal of the role (named test-<role>), through the real API key guard. */
  api(role: Role = 'admin'): HttpClient<typeof governanceRoutes> {
    return createHttpClient(governanceRoutes, { baseUrl: this.url, apiKey: testApiKey(role) });
  }

  /** A raw request, for what the typed client cannot send (input the contract refuses) or routes outside it (/metrics). */
  async call<T = unknown>(method: string, path: string, body?: unknown, role: Role = 'admin'): Promise<{ status: number; body: T; text: string }> {
    const headers: Record<string, string> = testAuth(role);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: Markdown, HTML or JSON Lines, read from `text`
    }
    return { status: response.status, body: parsed as T, text };
  }

  async stop(): Promise<void> {
    await this.tap.disconnect().catch(() => undefined);
    await this.consumer.stop().catch(() => undefined);
    await this.db.end().catch(() => undefined);
    await this.running.app.close();
    await this.database.drop();
  }
}
