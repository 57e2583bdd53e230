// Point-in-time join of a label set (CSV in MinIO) with 3 feature views whose history was ingested through
// Kafka; the Parquet result goes to MinIO. Prints the time, the size and memory; asserts nothing.
//   node -r @swc-node/register bench/feature-store/point-in-time-join.bench.ts [labelRows=1000000] [recordsPerView=200000]
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { waitFor } from '@mlops/testing';
import { ingestedCount, mib, post, produce, serviceRss, startService, tag, viewDefinition } from './bench-setup';

const LABEL_ROWS = Number(process.argv[2] ?? 1_000_000);
const RECORDS_PER_VIEW = Number(process.argv[3] ?? 200_000);
const ENTITIES = 50_000;
const DAY = 24 * 3600 * 1000;

async function main(): Promise<void> {
  const service = await startService();
  const store = new ObjectStore({ endPoint: '127.0.0.1', port: 9000, useSSL: false, accessKey: 'mlops', secretKey: 'mlops-secret' });
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
    await waitFor('history ingested', async () => {
      const counts = await Promise.all(views.map((v) => ingestedCount(service, v)));
      return counts.every((c) => c >= RECORDS_PER_VIEW);
    }, { timeoutMs: 900_000 });

    const lines = ['user_id,event_timestamp,label'];
    for (let i = 0; i < LABEL_ROWS; i++) {
      lines.push(`${(i * 7907) % (ENTITIES + 5000)},${new Date(end - ((i * 15485863) % (60 * DAY))).toISOString()},${i % 2}`);
    }
    const labels = await store.putBuffer(BUCKETS.datasets, `feature-store-bench/${run}/labels.csv`, Buffer.from(lines.join('\n')));
    const features = views.flatMap((v) => ['f0', 'f1', 'f2'].map((f) => `${v}:${f}`));
    let peakRss = 0;
    const sampler = setInterval(() => void serviceRss(service).then((r) => (peakRss = Math.max(peakRss, r)), () => undefined), 250);
    const start = Date.now();
    const snapshot = await post<{ rows: number; sha256: string; sizeBytes: number }>(`${service.url}/datasets`, {
      features,
      entitySource: { uri: labels.uri, sha256: labels.sha256 },
    });
    const ms = Date.now() - start;
    clearInterval(sampler);
    console.log(`point-in-time join: ${snapshot.rows.toLocaleString('en-US')} label rows x 3 views (${RECORDS_PER_VIEW.toLocaleString('en-US')} history rows each, 9 features) -> Parquet in MinIO`);
    console.log(`  ${(ms / 1000).toFixed(1)} s = ${Math.round((snapshot.rows * 1000) / ms).toLocaleString('en-US')} rows/s; ${mib(snapshot.sizeBytes)} Parquet, sha256 ${snapshot.sha256.slice(0, 12)}...; service peak RSS ${mib(peakRss)}`);
  } catch (err) {
    console.error(service.logs().slice(-4000));
    throw err;
  } finally {
    await service.stop();
  }
}

void main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
