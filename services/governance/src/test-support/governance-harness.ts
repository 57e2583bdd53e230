// In-process governance for integration specs: its use cases and HTTP API on the real Postgres schema, its outbox
// relayed to the real broker, and a tap on the topics it produces. Events reach the use cases directly rather than
// through the service's consumer group, which other branches' governance processes may share on this broker.
import { randomUUID } from 'node:crypto';
import { Global, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Consumer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { Principal } from '@mlops/auth';
import { loadPlatformConfig, localCredentials, localKafkaConnection } from '@mlops/config';
import { createEvent, decodeEvent, EventInput, PlatformEvent, TopicName } from '@mlops/contracts';
import { createKafka, EventPublisher, OutboxRelay, OutboxWriter } from '@mlops/messaging';
import { openMigratedDataSource } from '@mlops/service-kit';
import { waitFor } from '@mlops/testing';
import { governanceMigrations } from '../migrations';
import { PoliciesAndApprovalsModule } from '../policies-and-approvals.module';

export const PRINCIPAL_HEADER = 'x-test-principal';

const TAPPED: TopicName[] = ['mlops.governance.approval-requested', 'mlops.governance.approval-decided', 'mlops.governance.rollout-decided'];

export class GovernanceHarness {
  readonly records: PlatformEvent<TopicName>[] = [];

  private constructor(
    readonly dataSource: DataSource,
    readonly app: INestApplication,
    private readonly relay: OutboxRelay,
    private readonly publisher: EventPublisher,
    private readonly tap: Consumer,
  ) {}

  static async start(): Promise<GovernanceHarness> {
    // Governance's own schema as governance's role; Kafka as the admin, who plays every other service here.
    const config = loadPlatformConfig('governance', localCredentials('governance'));
    const kafka = createKafka(localKafkaConnection('admin', `governance-int-${randomUUID().slice(0, 8)}`));
    const dataSource = await openMigratedDataSource(config, governanceMigrations);

    @Global()
    @Module({
      providers: [
        { provide: DataSource, useValue: dataSource },
        { provide: OutboxWriter, useValue: new OutboxWriter('governance') },
      ],
      exports: [DataSource, OutboxWriter],
    })
    class TestPlatformModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TestPlatformModule, PoliciesAndApprovalsModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    // Stands in for the API key guard: the principal is whoever the header names, with every role.
    app.use((req: { headers: Record<string, string | undefined>; principal?: Principal }, _res: unknown, next: () => void) => {
      const name = req.headers[PRINCIPAL_HEADER];
      if (name) req.principal = { id: `id-${name}`, name, roles: ['admin'], keyId: 'test' };
      next();
    });
    await app.init();

    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    const relay = new OutboxRelay(dataSource, 'governance', publisher, { pollIntervalMs: 50 });
    relay.start();
    const tap = kafka.consumer({ groupId: `governance-int-tap-${randomUUID()}` });
    const harness = new GovernanceHarness(dataSource, app, relay, publisher, tap);
    await harness.openTap();
    return harness;
  }

  /** Decoded events governance published about one model, in the order they were read. */
  eventsOf<T extends TopicName>(topic: T, modelName: string): PlatformEvent<T>[] {
    return this.records.filter((e) => e.subject === modelName && e.type.startsWith(`${topic}.v`)) as PlatformEvent<T>[];
  }

  /** Waits until `count` events of the topic about the model were read, and a moment more to catch any extra. */
  async awaitEvents<T extends TopicName>(topic: T, modelName: string, count: number): Promise<PlatformEvent<T>[]> {
    await waitFor(`${count} ${topic} about ${modelName}`, async () => this.eventsOf(topic, modelName).length >= count, { timeoutMs: 30_000, intervalMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    return this.eventsOf(topic, modelName);
  }

  async stop(): Promise<void> {
    await this.tap.disconnect();
    await this.relay.stop();
    await this.publisher.disconnect();
    await this.app.close();
    await this.dataSource.destroy();
  }

  /** Subscribed from the end of each topic, and only returns once the group has its partitions. */
  private async openTap(): Promise<void> {
    const joined = new Promise<void>((resolve) => this.tap.on(this.tap.events.GROUP_JOIN, () => resolve()));
    await this.tap.connect();
    await this.tap.subscribe({ topics: TAPPED, fromBeginning: false });
    await this.tap.run({
      eachMessage: async ({ topic, message }) => {
        const decoded = decodeEvent(topic as TopicName, message.value);
        if (decoded.ok) this.records.push(decoded.event);
      },
    });
    await joined;
  }
}

/** A platform event as another service would publish it. */
export function platformEvent<T extends TopicName>(topic: T, data: EventInput<T>): PlatformEvent<T> {
  return createEvent(topic, data, { source: topic.startsWith('mlops.registry') ? 'registry' : topic.startsWith('mlops.monitor') ? 'monitor' : 'trainer' });
}
