// Sustained ingestion from Kafka into the online and offline stores: records are produced first, then the view
// is applied, so the service reads a full backlog as fast as it can. Prints figures; asserts nothing.
//   node -r @swc-node/register bench/feature-store/ingestion.bench.ts [records=300000] [entities=50000]
import { waitFor } from '@mlops/testing';
import { ingestedCount, mib, post, produce, serviceRss, startService, tag, viewDefinition } from './bench-setup';

const RECORDS = Number(process.argv[2] ?? 300_000);
const ENTITIES = Number(process.argv[3] ?? 50_000);

async function main(): Promise<void> {
  const service = await startService();
  try {
    const run = tag();
    const entity = `user_${run}`;
    const view = `ingest_${run}`;
    const produceStart = Date.now();
    await produce(`${view}.src`, RECORDS, ENTITIES, Date.now(), 60 * 24 * 3600 * 1000);
    const produceMs = Date.now() - produceStart;
    await post(`${service.url}/entities`, { name: entity, joinKeys: [{ name: 'user_id', type: 'int64' }] });
    let peakRss = 0;
    const start = Date.now();
    await post(`${service.url}/feature-views`, viewDefinition(view, entity, 30 * 24 * 3600));
    let firstAt = 0;
    await waitFor(
      'backlog ingested',
      async () => {
        peakRss = Math.max(peakRss, await serviceRss(service));
        const count = await ingestedCount(service, view);
        if (count > 0 && !firstAt) firstAt = Date.now();
        return count >= RECORDS;
      },
      { timeoutMs: 600_000, intervalMs: 200 },
    );
    const end = Date.now();
    const ms = end - start;
    const sustainedMs = end - firstAt;
    console.log(`feature-store ingestion: ${RECORDS.toLocaleString('en-US')} records x 10 features, ${ENTITIES.toLocaleString('en-US')} entities, event times over 60 days (3 monthly partitions)`);
    console.log(`  produced (kafkajs, acks=1) in ${(produceMs / 1000).toFixed(1)} s`);
    console.log(`  Kafka -> validated -> online upsert + offline history: ${(ms / 1000).toFixed(1)} s = ${Math.round((RECORDS * 1000) / ms).toLocaleString('en-US')} records/s (from apply, includes topic subscription and group join)`);
    console.log(`  sustained, from the first written batch: ${Math.round((RECORDS * 1000) / sustainedMs).toLocaleString('en-US')} records/s`);
    console.log(`  service peak RSS ${mib(peakRss)}`);
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
