import { randomUUID } from 'node:crypto';
import { Partitioners, Producer } from 'kafkajs';
import { Client } from 'pg';
import { localKafkaConnection, localPostgresUrl } from '@mlops/config';
import { createKafka } from '@mlops/messaging';
import { freePort, getJson, ServiceProcess, testAuth, waitFor } from '@mlops/testing';

/** Records streamed at about 10,000 a second, in sends of 500; the kill comes once some are applied. */
const RECORDS = 40_000;
const KILL_AFTER = 5_000;

/**
 * A feature store killed with kill -9 while it ingests, and started again at once under the same consumer group: the
 * group must not wait out the dead member's session for long (30 s by default, ~46 s idle as measured in issue 20).
 * The restarted process must hold its partitions soon after it starts (the goal is 10 s; the figures are printed, the
 * bound asserted is a generous 20 s after it answered ready), its group must get through every record (nothing left
 * uncommitted), and the history must hold every record exactly once (its primary key holds a record once at most;
 * the count must be all of them).
 */
describe('feature store source consumer: back at work soon after a kill -9', () => {
  const group = `mlops-feature-store-recovery-${randomUUID().slice(0, 8)}`;
  const entity = `cust_${randomUUID().slice(0, 8)}`;
  const view = `recovery_${randomUUID().slice(0, 8)}`;
  const topic = `${view}.src`;
  const kafka = createKafka(localKafkaConnection('admin', `fs-recovery-spec-${randomUUID().slice(0, 8)}`));
  let producer: Producer;
  let db: Client;
  let service: ServiceProcess;
  let httpPort: number;

  const start = () =>
    ServiceProcess.start('feature-store', {
      MLOPS_HTTP_PORT: String(httpPort),
      MLOPS_FEATURE_STORE_GRPC_PORT: '0',
      MLOPS_FEATURE_STORE_SOURCE_GROUP: group,
      MLOPS_FEATURE_STORE_DEFINITION_REFRESH_MS: '500',
    });

  const historyCount = async (): Promise<number> =>
    Number((await db.query('SELECT count(*) AS n FROM feature_store.offline_history WHERE view_name = $1', [view])).rows[0].n);

  /** A sample of the running process's metrics, 0 when absent (or the process does not answer yet). */
  const sample = async (name: string, label: string): Promise<number> => {
    const metrics = await getJson(`${service.url}/metrics`).catch(() => ({ body: '' }));
    const line = String(metrics.body).split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
    return Number(line?.split(' ').pop() ?? 0);
  };
  const assignedPartitions = () => sample('mlops_feature_store_consumer_assigned_partitions', `group="${group}"`);
  // Every feature store on the shared database consumes every view's topic under its own group, so the history
  // alone cannot tell this process's work from theirs: its own counter can.
  const ingestedHere = () => sample('mlops_feature_store_ingested_records_total', `view="${view}"`);

  /** Records of the topic not yet committed by the group: 0 once it has handled them all. */
  const groupLag = async (): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const at = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
      return ends.reduce((lag, end) => lag + Number(end.high) - Math.max(0, at.get(end.partition) ?? 0), 0);
    } finally {
      await admin.disconnect();
    }
  };

  let sent = 0;
  const stream = async () => {
    const now = Date.now();
    for (let i = 0; i < RECORDS; i += 500) {
      const messages = Array.from({ length: 500 }, (_, j) => {
        const n = i + j;
        return { key: `c${n}`, value: JSON.stringify({ customer_id: `c${n}`, ts: new Date(now - 60_000 + n).toISOString(), amount: n }) };
      });
      await Promise.all([producer.send({ topic, messages }), new Promise((resolve) => setTimeout(resolve, 50))]);
      sent += messages.length;
    }
  };

  beforeAll(async () => {
    db = new Client({ connectionString: localPostgresUrl('admin') });
    await db.connect();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    httpPort = await freePort();
    service = await start();
    await service.waitUntilReady();
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...testAuth() }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    };
    await post('/entities', { name: entity, joinKeys: [{ name: 'customer_id', type: 'string' }] });
    await post('/feature-views', { name: view, entities: [entity], source: { topic, eventTimeField: 'ts' }, schema: [{ name: 'amount', type: 'float64' }], ttlSeconds: 3600, owner: 'recovery-spec' });
    await waitFor('the source topic consumed', async () => (await assignedPartitions()) > 0, { timeoutMs: 60_000, intervalMs: 200 }).catch((err: Error) => {
      throw new Error(`${err.message}\n${service.logs().slice(-3000)}`);
    });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await producer?.disconnect();
    await db?.end();
  });

  it('holds its partitions again soon after its restart and applies every record, losing and duplicating none', async () => {
    const streaming = stream();
    await waitFor('ingestion under way', async () => (await historyCount()) >= KILL_AFTER, { timeoutMs: 60_000, intervalMs: 50 });
    await service.crash();
    const killedAt = Date.now();
    const [atKill, sentAtKill] = [await historyCount(), sent];

    service = await start();
    const restartedAt = Date.now();
    let assignedAt = 0;
    const applying = waitFor('records applied by the restarted process', async () => {
      if (!assignedAt && (await assignedPartitions()) > 0) assignedAt = Date.now();
      return (await ingestedHere()) > 0;
    }, { timeoutMs: 120_000, intervalMs: 100 });
    await service.waitUntilReady();
    const readyAt = Date.now();
    // With the clients' default 30 s session the restarted process stood idle about 46 s after it was ready (issue 20).
    // The goal is 10 s after its restart; on this shared machine start-up alone has taken 2-19 s, so the bound is
    // counted from ready, and generous: the figures are printed.
    await applying;
    const applyingAt = Date.now();
    await streaming;
    const after = (at: number, from: number) => `${((at - from) / 1000).toFixed(1)} s`;
    console.log(
      `feature store killed with ${atKill} of ${RECORDS} records in the history (${sentAtKill} streamed): ready ${after(readyAt, restartedAt)} after its restart, ` +
        `holding partitions ${assignedAt ? after(assignedAt, restartedAt) : '(not seen)'} after it, applying records ${after(applyingAt, restartedAt)} after it ` +
        `(${after(applyingAt, killedAt)} after the kill, ${after(applyingAt, readyAt)} after ready)`,
    );
    // Holding partitions is the group's part. The first record of this view applied after that also waits for the
    // backlog of every other view's topic this group reads (every view on the shared database), so it is printed only.
    expect(assignedAt).toBeGreaterThan(0);
    expect(assignedAt - readyAt).toBeLessThan(20_000);
    await waitFor('the group through every record', async () => (await groupLag()) === 0, { timeoutMs: 120_000, intervalMs: 500 });
    expect(await historyCount()).toBe(RECORDS);
  }, 240_000);
});
