import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { localKafkaConnection, localPostgresUrl } from '@mlops/config';
import { createKafka } from '@mlops/messaging';
import { getJson, PlatformStack } from '@mlops/testing';

/** What the feature store holds for the drill's view, read from its tables (as the schema-owning admin). */
export interface FeatureLedger {
  historyRows: number;
  distinctEntities: number;
  onlineRows: number;
  deadLetters: number;
  distinctDeadLetters: number;
  deadLettersPublished: number;
}

export async function featureLedger(view: string): Promise<FeatureLedger> {
  const client = new Client({ connectionString: localPostgresUrl('admin') });
  await client.connect();
  try {
    const history = await client.query<{ rows: string; entities: string }>(
      'SELECT count(*) AS rows, count(DISTINCT entity_key) AS entities FROM feature_store.offline_history WHERE view_name = $1', [view]);
    const online = await client.query<{ rows: string }>('SELECT count(*) AS rows FROM feature_store.online_values WHERE view_name = $1', [view]);
    const dead = await client.query<{ rows: string; distinct_values: string; published: string }>(
      `SELECT count(*) AS rows, count(DISTINCT message_value) AS distinct_values, count(*) FILTER (WHERE published_at IS NOT NULL) AS published
       FROM feature_store.dead_letters WHERE view_name = $1`, [view]);
    return {
      historyRows: Number(history.rows[0].rows),
      distinctEntities: Number(history.rows[0].entities),
      onlineRows: Number(online.rows[0].rows),
      deadLetters: Number(dead.rows[0].rows),
      distinctDeadLetters: Number(dead.rows[0].distinct_values),
      deadLettersPublished: Number(dead.rows[0].published),
    };
  } finally {
    await client.end();
  }
}

/** Every prediction log of one model on the topic: how many records, and how often each request id appears. */
export interface PredictionLogLedger {
  records: number;
  requestIds: Map<string, number>;
}

const READ_TIMEOUT_MS = 180_000;

export async function predictionLogLedger(modelName: string): Promise<PredictionLogLedger> {
  const topic = 'mlops.predictions.logged';
  const kafka = createKafka(localKafkaConnection('admin', `faults-ledger-${randomUUID().slice(0, 8)}`));
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  await admin.disconnect();
  const remaining = new Set([...ends].filter(([, high]) => high > 0).map(([partition]) => partition));
  const ledger: PredictionLogLedger = { records: 0, requestIds: new Map() };
  if (remaining.size === 0) return ledger;
  const consumer = kafka.consumer({ groupId: `faults-ledger-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`reading ${topic} did not reach its end within ${READ_TIMEOUT_MS / 1000} s (partitions left: ${[...remaining].join(', ')})`)), READ_TIMEOUT_MS);
    consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const event = JSON.parse(message.value?.toString('utf8') ?? '{}') as { data?: { modelName?: string; requestId?: string } };
          if (event.data?.modelName === modelName && event.data.requestId) {
            ledger.records++;
            ledger.requestIds.set(event.data.requestId, (ledger.requestIds.get(event.data.requestId) ?? 0) + 1);
          }
          if (Number(message.offset) >= (ends.get(batch.partition) ?? 0) - 1) remaining.delete(batch.partition);
        }
        if (remaining.size === 0) {
          clearTimeout(timeout);
          resolve();
        }
      },
    }).catch(reject);
  }).finally(() => consumer.disconnect());
  return ledger;
}

interface AuditItem {
  eventId: string;
  data: { version?: number; runId?: string };
}

/** Audit entries of one type for the model, all pages. */
async function auditEntries(stack: PlatformStack, modelName: string, type: string): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  let after = 0;
  for (;;) {
    const page = await getJson<{ items: (AuditItem & { seq: number })[] }>(`${stack.url('governance')}/audit?subject=${modelName}&type=${type}&after=${after}&limit=1000`);
    if (page.status !== 200) throw new Error(`GET /audit: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    if (page.body.items.length < 1000) return items;
    after = page.body.items[page.body.items.length - 1].seq;
  }
}

/** How many keys occur more than once. */
export function repeated<T>(values: T[]): number {
  const seen = new Map<T, number>();
  for (const value of values) seen.set(value, (seen.get(value) ?? 0) + 1);
  return [...seen.values()].filter((n) => n > 1).length;
}

export interface GovernanceLedger {
  versionEntries: number;
  repeatedVersions: number;
  completedEntries: number;
  repeatedRuns: number;
  chainValid: boolean;
  predictionLogsCounted: number;
}

export async function governanceLedger(stack: PlatformStack, modelName: string): Promise<GovernanceLedger> {
  const registered = await auditEntries(stack, modelName, 'mlops.registry.version-registered.v1');
  const completed = await auditEntries(stack, modelName, 'mlops.training.completed.v1');
  const verify = await getJson<{ valid: boolean }>(`${stack.url('governance')}/audit/verify`);
  const counts = await getJson<{ items: { eventType: string; events: number }[] }>(`${stack.url('governance')}/audit/counts?model=${modelName}`);
  return {
    versionEntries: registered.length,
    repeatedVersions: repeated(registered.map((e) => e.data.version)),
    completedEntries: completed.length,
    repeatedRuns: repeated(completed.map((e) => e.data.runId)),
    chainValid: verify.body.valid === true,
    predictionLogsCounted: (counts.body.items ?? []).filter((c) => c.eventType.startsWith('mlops.predictions.logged')).reduce((sum, c) => sum + c.events, 0),
  };
}

export interface MonitorLedger {
  windows: number;
  repeatedWindows: number;
  rowsInClosedWindows: number;
}

export async function monitorLedger(stack: PlatformStack, modelName: string): Promise<MonitorLedger> {
  const res = await getJson<{ items?: { windowId: string; rows: number }[] }>(`${stack.url('monitor')}/models/${modelName}/drift?limit=1000`);
  if (res.status !== 200) throw new Error(`GET /models/${modelName}/drift: ${res.status} ${JSON.stringify(res.body)}`);
  const items = res.body.items ?? [];
  return { windows: items.length, repeatedWindows: repeated(items.map((w) => w.windowId)), rowsInClosedWindows: items.reduce((sum, w) => sum + w.rows, 0) };
}
