import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { localKafkaConnection, localPostgresUrl } from '@mlops/config';
import { DLQ_HEADERS, dlqTopic } from '@mlops/contracts';
import { createKafka } from '@mlops/messaging';
import { getJson, PlatformStack } from '@mlops/testing';

/**
 * What the feature store did with the drill's view: applied records from its tables (as the schema-owning admin),
 * dead letters from its dead-letter topic since the run began (its outbox table is pruned, by age and by other suites
 * on shared engines; the topic is what downstream sees). A letter published twice (a crash between the send and the
 * mark, as the outbox allows) counts once, by its source offset.
 */
export interface FeatureLedger {
  historyRows: number;
  distinctEntities: number;
  onlineRows: number;
  deadLettersPublished: number;
  distinctDeadLetters: number;
}

export async function featureLedger(view: string, sourceTopic: string, sinceMs: number): Promise<FeatureLedger> {
  const letters = new Set<string>();
  let published = 0;
  await readTopicSince(dlqTopic('feature-store'), sinceMs, (message) => {
    const header = (name: string) => message.headers?.[name]?.toString();
    if (header(DLQ_HEADERS.sourceTopic) !== sourceTopic) return;
    published++;
    letters.add(`${header(DLQ_HEADERS.sourcePartition)}@${header(DLQ_HEADERS.sourceOffset)}`);
  });
  const client = new Client({ connectionString: localPostgresUrl('admin') });
  await client.connect();
  try {
    const history = await client.query<{ rows: string; entities: string }>(
      'SELECT count(*) AS rows, count(DISTINCT entity_key) AS entities FROM feature_store.offline_history WHERE view_name = $1', [view]);
    const online = await client.query<{ rows: string }>('SELECT count(*) AS rows FROM feature_store.online_values WHERE view_name = $1', [view]);
    return {
      historyRows: Number(history.rows[0].rows),
      distinctEntities: Number(history.rows[0].entities),
      onlineRows: Number(online.rows[0].rows),
      deadLettersPublished: published,
      distinctDeadLetters: letters.size,
    };
  } finally {
    await client.end();
  }
}

const READ_TIMEOUT_MS = 180_000;

/**
 * Hands every record of `topic` from `sinceMs` to where the topic ended when called: a shared broker's topic holds
 * every other run's records too, far too many to read from the beginning.
 */
async function readTopicSince(topic: string, sinceMs: number, onRecord: (message: KafkaMessage) => void): Promise<void> {
  const kafka = createKafka(localKafkaConnection('admin', `faults-ledger-${randomUUID().slice(0, 8)}`));
  const groupId = `faults-ledger-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  let remaining: Map<number, number>;
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    // A partition with nothing since then answers -1: it is read from its end, i.e. not at all.
    const starts = (await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs)).map(({ partition, offset }) => ({ partition, offset: Number(offset) < 0 ? String(ends.get(partition) ?? 0) : offset }));
    remaining = new Map(starts.filter(({ partition, offset }) => Number(offset) < (ends.get(partition) ?? 0)).map(({ partition }) => [partition, ends.get(partition) ?? 0]));
    if (remaining.size === 0) return;
    await admin.setOffsets({ groupId, topic, partitions: starts });
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`reading ${topic} did not reach its end within ${READ_TIMEOUT_MS / 1000} s (partitions left: ${[...remaining.keys()].join(', ')})`)), READ_TIMEOUT_MS);
    consumer.run({
      eachBatch: async ({ batch }) => {
        const end = remaining.get(batch.partition);
        for (const message of batch.messages) {
          if (end === undefined || Number(message.offset) >= end) break;
          onRecord(message);
        }
        if (end !== undefined && Number(batch.lastOffset()) + 1 >= end) remaining.delete(batch.partition);
        if (remaining.size === 0) {
          clearTimeout(timeout);
          resolve();
        }
      },
    }).catch(reject);
  }).finally(() => consumer.disconnect());
}

/** Every prediction log of one model on the topic since the run began: how many records, how often each request id. */
export interface PredictionLogLedger {
  records: number;
  requestIds: Map<string, number>;
}

export async function predictionLogLedger(modelName: string, sinceMs: number): Promise<PredictionLogLedger> {
  const ledger: PredictionLogLedger = { records: 0, requestIds: new Map() };
  await readTopicSince('mlops.predictions.logged', sinceMs, (message) => {
    const event = JSON.parse(message.value?.toString('utf8') ?? '{}') as { data?: { modelName?: string; requestId?: string } };
    if (event.data?.modelName === modelName && event.data.requestId) {
      ledger.records++;
      ledger.requestIds.set(event.data.requestId, (ledger.requestIds.get(event.data.requestId) ?? 0) + 1);
    }
  });
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
