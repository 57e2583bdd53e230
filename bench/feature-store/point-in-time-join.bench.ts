// Point-in-time join of a label set (CSV in MinIO) with 3 feature views whose history was ingested through
// Kafka; the Parquet result goes to MinIO. Then the Parquet writer alone (parquet-wasm fed Arrow batches) on rows
// of the same shape. Prints times (wall and CPU), the size and memory; asserts nothing.
//   node -r @swc-node/register bench/feature-store/point-in-time-join.bench.ts [labelRows=1000000] [recordsPerView=200000]
import { loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { ParquetColumn, ParquetStreamWriter } from '@mlops/ml';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { getJson, ServiceProcess, waitFor } from '@mlops/testing';
import { Client } from 'pg';
import { mib, post, produce, serviceRss, startService, tag, viewDefinition } from './bench-setup';
import { localPostgresUrl, localS3 } from '@mlops/config';

const LABEL_ROWS = Number(process.argv[2] ?? 1_000_000);
const RECORDS_PER_VIEW = Number(process.argv[3] ?? 200_000);
const ENTITIES = 50_000;
const DAY = 24 * 3600 * 1000;

async function main(): Promise<void> {
  const service = await startService();
  const store = new ObjectStore(localS3('admin'));
  try {
    const run = tag();
    const entity = `user_${run}`;
    const views = [`pit_a_${run}`, `pit_b_${run}`, `pit_c_${run}`];
    const end = Date.UTC(2026, 5, 30);
    await post(`${service.url}/entities`, { name: entity, joinKeys: [{ name: 'user_id', type: 'int64' }] });
    for (const view of views) {
      await produce(`${view}.src`, RECORDS_PER_VIEW, ENTITIES, end, 60 * DAY);
      await post(`${service.url}/feature-views`, viewDefinition(view, entity, 7 * 24 * 3600));
    }
    // Counted in the history table: the benches share one consumer group, so another engineer's bench service
    // may ingest some of these records, and this service's own counter would never reach the total.
    const db = new Client({ connectionString: localPostgresUrl('admin') });
    await db.connect();
    try {
      await waitFor('history ingested', async () => {
        const { rows } = await db.query('SELECT count(*)::int AS n FROM feature_store.offline_history WHERE view_name = ANY($1) GROUP BY view_name', [views]);
        return rows.length === views.length && rows.every((r: { n: number }) => r.n >= RECORDS_PER_VIEW);
      }, { timeoutMs: 900_000 });
    } finally {
      await db.end();
    }

    const rows = Array.from({ length: LABEL_ROWS }, (_, i) => [(i * 7907) % (ENTITIES + 5000), new Date(end - ((i * 15485863) % (60 * DAY))).toISOString(), i % 2]);
    const csv = stringify(rows, { header: true, columns: ['user_id', 'event_timestamp', 'label'] });
    const labels = await store.putBuffer(BUCKETS.datasets, `feature-store-bench/${run}/labels.csv`, Buffer.from(csv));
    const features = views.flatMap((v) => ['f0', 'f1', 'f2'].map((f) => `${v}:${f}`));
    let peakRss = 0;
    const sampler = setInterval(() => void serviceRss(service).then((r) => (peakRss = Math.max(peakRss, r)), () => undefined), 250);
    const load = loadavg()[0];
    const cpuBefore = await serviceCpuSeconds(service);
    const start = Date.now();
    const snapshot = await post<{ rows: number; sha256: string; sizeBytes: number }>(`${service.url}/datasets`, {
      features,
      entitySource: { uri: labels.uri, sha256: labels.sha256 },
    });
    const ms = Date.now() - start;
    clearInterval(sampler);
    console.log(`point-in-time join: ${snapshot.rows.toLocaleString('en-US')} label rows x 3 views (${RECORDS_PER_VIEW.toLocaleString('en-US')} history rows each, 9 features) -> Parquet in MinIO`);
    console.log(`  ${(ms / 1000).toFixed(1)} s = ${Math.round((snapshot.rows * 1000) / ms).toLocaleString('en-US')} rows/s; ${mib(snapshot.sizeBytes)} Parquet, sha256 ${snapshot.sha256.slice(0, 12)}...; service peak RSS ${mib(peakRss)}; load average ${load.toFixed(1)} at start`);
    // After the join: a loaded service can be slow to answer, and the figures above must not be lost to that.
    const cpu = await serviceCpuSeconds(service).then((after) => `${(after - cpuBefore).toFixed(1)} s`, (err: Error) => `not read (${err.message})`);
    console.log(`  service CPU ${cpu} (Postgres's share is not in it)`);
    await writerAlone(snapshot.rows);
  } catch (err) {
    console.error(service.logs().slice(-4000));
    throw err;
  } finally {
    await service.stop();
  }
}

async function serviceCpuSeconds(service: ServiceProcess): Promise<number> {
  const metrics = String((await getJson(`${service.url}/metrics`)).body);
  const line = metrics.split('\n').find((l) => l.startsWith('process_cpu_seconds_total'));
  return Number(line?.split(' ').pop() ?? 0);
}

/** A sink that only counts, so the figures are the writer's and not the disk's or MinIO's. */
class Discard extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

/** The join's output shape: an int64 key, a timestamp, a label and 9 doubles of which about 60% are null. */
async function writerAlone(rows: number): Promise<void> {
  const features = Array.from({ length: 9 }, (_, f) => `v__f${f}`);
  const ids = BigInt64Array.from({ length: rows }, (_, i) => BigInt((i * 7907) % 55_000));
  const times = BigInt64Array.from({ length: rows }, (_, i) => BigInt(Date.UTC(2026, 5, 30) - ((i * 15485863) % (60 * DAY))));
  const labels = Float64Array.from({ length: rows }, (_, i) => i % 2);
  const present = Uint8Array.from({ length: rows }, (_, i) => ((i * 2654435761) % 100 < 40 ? 1 : 0));
  const values = Float64Array.from({ length: rows }, (_, i) => (i % 1000) / 10);
  const columns: ParquetColumn[] = [
    { name: 'user_id', type: 'int64', optional: false },
    { name: 'event_timestamp', type: 'timestamp-millis', optional: false },
    { name: 'label', type: 'double', optional: true },
    ...features.map((name) => ({ name, type: 'double' as const, optional: true })),
  ];
  const measure = async (what: string, write: (out: Discard) => Promise<void>) => {
    global.gc?.();
    const out = new Discard();
    const cpu = process.cpuUsage();
    const start = Date.now();
    await write(out);
    const used = process.cpuUsage(cpu);
    console.log(`  ${what}: ${((Date.now() - start) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU, ${mib(out.bytes)}; load average ${loadavg()[0].toFixed(1)}`);
  };
  console.log(`Parquet writer alone, ${rows.toLocaleString('en-US')} rows x 12 columns (int64, timestamp, 10 doubles, 9 of them 60% null):`);
  await measure('ParquetStreamWriter (columns)', async (out) => {
    const writer = new ParquetStreamWriter(columns, out, { rowGroupRows: 65536 });
    const batch = 50_000;
    for (let start = 0; start < rows; start += batch) {
      const end = Math.min(rows, start + batch);
      await writer.append(end - start, [
        { values: ids.subarray(start, end) },
        { values: times.subarray(start, end) },
        { values: labels.subarray(start, end) },
        ...features.map(() => ({ values: values.subarray(start, end), present: present.subarray(start, end) })),
      ]);
    }
    await writer.close();
  });
}

void main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
