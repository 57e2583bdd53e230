// Sustained ingestion from Kafka into the online and offline stores: records are produced first, then the view
// is applied, so the service reads a full backlog as fast as it can. Prints figures; asserts nothing.
//   node -r @swc-node/register bench/feature-store/ingestion.bench.ts [records=300000] [entities=50000] [cpu-profile-dir]
// With a third argument the service process writes a V8 CPU profile (<pid>.cpuprofile) there when it stops.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { getJson, ServiceProcess, waitFor } from '@mlops/testing';
import { ingestedCount, mib, post, produce, serviceRss, startService, tag, viewDefinition } from './bench-setup';
import { localKafkaConnection, localPostgresUrl } from '@mlops/config';
import { createKafka } from '@mlops/messaging';

const RECORDS = Number(process.argv[2] ?? 300_000);
const ENTITIES = Number(process.argv[3] ?? 50_000);
const PROFILE_DIR = process.argv[4];
const POSTGRES_URL = localPostgresUrl('admin');
// Linux reports process CPU in clock ticks of 1/100 s.
const TICKS_PER_SECOND = 100;

async function main(): Promise<void> {
  const run = tag();
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const group = `mlops-feature-store-bench-ingest-${run}`;
  const db = new Client({ connectionString: POSTGRES_URL });
  await db.connect();
  const entity = `user_${run}`;
  const view = `ingest_${run}`;
  const produceStart = Date.now();
  const distinct = await produceCounted(`${view}.src`);
  const produceMs = Date.now() - produceStart;
  // A group of its own, so no other bench's service takes a share of this view's partitions; earlier views'
  // topics are skipped by committing their end offsets for the new group before the service joins it.
  const skipped = await skipExistingTopics(db, group, `${view}.src`);
  const service = await startService({
    MLOPS_FEATURE_STORE_SOURCE_GROUP: group,
    ...(PROFILE_DIR ? { NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile-preload.js')}`, CPU_PROFILE_DIR: PROFILE_DIR } : {}),
  });
  try {
    await post(`${service.url}/entities`, { name: entity, joinKeys: [{ name: 'user_id', type: 'int64' }] });
    let peakRss = 0;
    const serviceCpuBefore = await serviceCpuSeconds(service);
    const postgresBefore = new Map((await postgresBackends(db, service)).map((b) => [b.pid, b.cpu]));
    const start = Date.now();
    await post(`${service.url}/feature-views`, viewDefinition(view, entity, 30 * 24 * 3600));
    let firstAt = 0;
    let firstCpu = 0;
    await waitFor(
      'backlog ingested',
      async () => {
        peakRss = Math.max(peakRss, await serviceRss(service));
        const count = await ingestedCount(service, view);
        if (count > 0 && !firstAt) {
          firstAt = Date.now();
          firstCpu = await serviceCpuSeconds(service);
        }
        return count >= RECORDS;
      },
      { timeoutMs: 600_000, intervalMs: 200 },
    );
    const end = Date.now();
    const serviceCpu = (await serviceCpuSeconds(service)) - serviceCpuBefore;
    const backends = await postgresBackends(db, service);
    const postgresCpu = backends.reduce((sum, b) => sum + b.cpu - (postgresBefore.get(b.pid) ?? 0), 0);
    const ms = end - start;
    const sustainedMs = end - firstAt;
    const stored = await db.query<{ history: string; online: string }>(
      `SELECT (SELECT count(*) FROM feature_store.offline_history WHERE view_name = $1) AS history,
              (SELECT count(*) FROM feature_store.online_values WHERE view_name = $1) AS online`,
      [view],
    );
    const { history, online } = stored.rows[0];
    const usPerRecord = (seconds: number) => ((seconds * 1e6) / RECORDS).toFixed(1);
    console.log(`feature-store ingestion: ${RECORDS.toLocaleString('en-US')} records x 10 features, ${ENTITIES.toLocaleString('en-US')} entities, event times over 60 days (3 monthly partitions)`);
    console.log(`  load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (${coreCount()} cores)`);
    console.log(`  produced (kafkajs, acks=1) in ${(produceMs / 1000).toFixed(1)} s; consumer group ${group} skips the backlog of ${skipped} earlier views' topics`);
    console.log(`  Kafka -> validated -> online upsert + offline history: ${(ms / 1000).toFixed(1)} s = ${Math.round((RECORDS * 1000) / ms).toLocaleString('en-US')} records/s (from apply, includes topic subscription and group join)`);
    console.log(`  sustained, from the first written batch: ${Math.round((RECORDS * 1000) / sustainedMs).toLocaleString('en-US')} records/s`);
    console.log(`  service CPU ${usPerRecord(serviceCpu)} us/record (${serviceCpu.toFixed(1)} s; ${usPerRecord((await serviceCpuSeconds(service)) - firstCpu)} us/record from the first batch)`);
    console.log(`  Postgres CPU of the service's ${backends.length} backends ${usPerRecord(postgresCpu)} us/record (${postgresCpu.toFixed(1)} s)`);
    console.log(`  service peak RSS ${mib(peakRss)}`);
    console.log(`  stored: ${Number(history).toLocaleString('en-US')} history rows (expected ${distinct.records.toLocaleString('en-US')} distinct records), ${Number(online).toLocaleString('en-US')} online values (expected ${distinct.entities.toLocaleString('en-US')} entities)${Number(history) === distinct.records && Number(online) === distinct.entities ? '' : ' MISMATCH'}`);
  } finally {
    await service.stop();
    await db.end();
  }
}

/** Produces the backlog and counts what the stores should hold: distinct records and distinct entities. */
async function produceCounted(topic: string): Promise<{ records: number; entities: number }> {
  await produce(topic, RECORDS, ENTITIES, Date.now(), 60 * 24 * 3600 * 1000);
  // Same formula as produce(): identical records (same user, time and values) hash alike and are stored once.
  const records = new Set<string>();
  const users = new Set<number>();
  for (let i = 0; i < RECORDS; i++) {
    const user = (i * 7919) % ENTITIES;
    users.add(user);
    records.add(`${user}/${(i * 104729) % 1_000_003}/${i % 1000}`);
  }
  return { records: records.size, entities: users.size };
}

/**
 * Commits the end offsets of every earlier view's topic for the new group, all in one group membership
 * (admin.setOffsets joins the group once per topic, seconds each): a member of the group subscribed only to
 * this run's topic commits them, as the broker accepts commits from any member for any partition.
 */
async function skipExistingTopics(db: Client, groupId: string, ownTopic: string): Promise<number> {
  // On a fresh database the service has not created its schema yet: there is nothing earlier to skip.
  const { rows } = await db.query<{ topic: string }>("SELECT DISTINCT definition->'source'->>'topic' AS topic FROM feature_store.feature_views").catch(() => ({ rows: [] }));
  const kafka = createKafka(localKafkaConnection('admin', 'bench-feature-ingest'));
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const topics = rows.map((r) => r.topic).filter((topic) => existing.has(topic) && topic !== ownTopic);
  const offsets = [];
  for (const topic of topics) {
    for (const o of await admin.fetchTopicOffsets(topic)) offsets.push({ topic, partition: o.partition, offset: o.high });
  }
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [ownTopic] });
  let joined = () => undefined as void;
  const member = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  // Never resolves nor commits an offset of its own topic, so the service reads that topic in full.
  await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
  await member;
  await consumer.commitOffsets(offsets);
  await consumer.disconnect();
  return topics.length;
}

async function serviceCpuSeconds(service: ServiceProcess): Promise<number> {
  const metrics = String((await getJson(`${service.url}/metrics`)).body);
  const line = metrics.split('\n').find((l) => l.startsWith('process_cpu_seconds_total'));
  return Number(line?.split(' ').pop() ?? 0);
}

interface Backend {
  pid: number;
  cpu: number;
}

/** Postgres backend processes serving the service's pooled connections, found through the TCP ports it holds. */
async function postgresBackends(db: Client, service: ServiceProcess): Promise<Backend[]> {
  const listening = execFileSync('ss', ['-ltnpH', `sport = :${service.port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(listening)?.[1];
  if (!pid) return [];
  const connections = execFileSync('ss', ['-tnpH', 'dport = :5432'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`pid=${pid},`))
    .map((l) => Number(/:(\d+)\s+\S+:5432/.exec(l)?.[1]));
  const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [connections]);
  return rows.map((r) => ({ pid: r.pid, cpu: processCpuSeconds(r.pid) }));
}

function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat; index 11 and 12 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

const coreCount = () => execFileSync('nproc', { encoding: 'utf8' }).trim();

void main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
