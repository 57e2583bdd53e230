// Shared set-up of the feature-store benchmarks: a real service process, views applied over HTTP, and records
// produced to their topics as plain JSON, the way a product team's producer would.
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { getJson, ServiceProcess, testAuth } from '@mlops/testing';
import { localKafkaConnection, localPostgresUrl } from '@mlops/config';
import { createKafka } from '@mlops/messaging';

export const FEATURES = Array.from({ length: 10 }, (_, i) => `f${i}`);
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
export const tag = () => `b${Date.now().toString(36)}`;

export async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...testAuth() }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * One fixed consumer group for every bench run: a fresh group would re-read the topics of every view applied
 * by earlier runs (they stay applied) before getting to this run's records.
 */
export async function startService(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const service = await ServiceProcess.start('feature-store', { MLOPS_FEATURE_STORE_SOURCE_GROUP: 'mlops-feature-store-bench', MLOPS_FEATURE_STORE_GRPC_PORT: '0', MLOPS_LOG_LEVEL: 'warn', ...env });
  await service.waitUntilReady('/health/ready', 120_000);
  return service;
}

/** Resident memory of the service process, from its own Prometheus metrics. */
export async function serviceRss(service: ServiceProcess): Promise<number> {
  const metrics = String((await getJson(`${service.url}/metrics`)).body);
  const line = metrics.split('\n').find((l) => l.startsWith('process_resident_memory_bytes'));
  return Number(line?.split(' ').pop() ?? 0);
}

export async function ingestedCount(service: ServiceProcess, view: string): Promise<number> {
  const metrics = String((await getJson(`${service.url}/metrics`)).body);
  const line = metrics.split('\n').find((l) => l.startsWith('mlops_feature_store_ingested_records_total') && l.includes(`view="${view}"`));
  return Number(line?.split(' ').pop() ?? 0);
}

export function viewDefinition(name: string, entity: string, ttlSeconds: number) {
  return {
    name,
    entities: [entity],
    source: { topic: `${name}.src`, eventTimeField: 'ts' },
    schema: FEATURES.map((f) => ({ name: f, type: 'float64' })),
    ttlSeconds,
    owner: 'bench',
  };
}

/**
 * Produces `count` records for `entities` distinct users with event times spread over `spanMs` before `end`,
 * in batches, to a topic created with 6 partitions.
 */
export async function produce(topic: string, count: number, entities: number, end: number, spanMs: number): Promise<void> {
  const kafka = createKafka(localKafkaConnection('admin', 'bench-feature-producer'));
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const batch = 5_000;
  const sends: Promise<unknown>[] = [];
  for (let start = 0; start < count; start += batch) {
    const messages = [];
    for (let i = start; i < Math.min(start + batch, count); i++) {
      const user = (i * 7919) % entities;
      const record: Record<string, unknown> = { user_id: user, ts: end - Math.floor(((i * 104729) % 1_000_003) / 1_000_003 * spanMs) };
      for (const f of FEATURES) record[f] = (i % 1000) / 10;
      messages.push({ key: String(user), value: JSON.stringify(record) });
    }
    sends.push(producer.send({ topic, acks: 1, messages }));
    if (sends.length >= 8) await sends.shift();
  }
  await Promise.all(sends);
  await producer.disconnect();
}

/** Online values stored for a view, whichever process of the consumer group ingested them. */
export async function storedOnlineCount(view: string): Promise<number> {
  const db = new Client({ connectionString: localPostgresUrl('admin') });
  await db.connect();
  try {
    const result = await db.query<{ n: string }>('SELECT count(*) AS n FROM feature_store.online_values WHERE view_name = $1', [view]);
    return Number(result.rows[0].n);
  } finally {
    await db.end();
  }
}

/** Records the service has ingested so far over every view it consumes, from its own counters. */
export async function ingestedTotal(service: ServiceProcess): Promise<number> {
  const metrics = String((await getJson(`${service.url}/metrics`)).body);
  return metrics
    .split('\n')
    .filter((l) => l.startsWith('mlops_feature_store_ingested_records_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop() ?? 0), 0);
}
