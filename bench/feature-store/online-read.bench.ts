// Online reads at a fixed request rate: 1 entity x 10 features and 100 entities x 10 features per request,
// against values ingested through Kafka. Prints latency percentiles and memory; asserts nothing.
//   node -r @swc-node/register bench/feature-store/online-read.bench.ts [rate=1000] [seconds=15]
import autocannon from 'autocannon';
import { waitFor } from '@mlops/testing';
import { FEATURES, ingestedCount, mib, post, produce, serviceRss, startService, tag, viewDefinition } from './bench-setup';

const RATE = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 15);
const ENTITIES = 10_000;

async function main(): Promise<void> {
  const service = await startService();
  try {
    const run = tag();
    const entity = `user_${run}`;
    const view = `online_${run}`;
    await produce(`${view}.src`, ENTITIES, ENTITIES, Date.now(), 3600 * 1000);
    await post(`${service.url}/entities`, { name: entity, joinKeys: [{ name: 'user_id', type: 'int64' }] });
    await post(`${service.url}/feature-views`, viewDefinition(view, entity, 24 * 3600));
    await waitFor('values ingested', async () => (await ingestedCount(service, view)) >= ENTITIES, { timeoutMs: 300_000 });
    const features = FEATURES.map((f) => `${view}:${f}`);
    for (const batch of [1, 100]) {
      const body = (n: number) => JSON.stringify({ entities: Array.from({ length: batch }, (_, i) => ({ user_id: (n * 131 + i) % ENTITIES })), features });
      let n = 0;
      const load = (duration: number) => autocannon({
        url: `${service.url}/online-features`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        connections: 10,
        overallRate: RATE,
        duration,
        requests: [{ setupRequest: (req) => ({ ...req, body: body(n++) }) }],
      });
      // Warm-up first: JIT, route compilation and the connection pool growing to its size are not steady state.
      await load(5);
      const result = await load(SECONDS);
      const rss = await serviceRss(service);
      console.log(
        `online read, ${batch} entit${batch === 1 ? 'y' : 'ies'} x ${FEATURES.length} features at ${RATE} req/s for ${SECONDS} s: ` +
          `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ` +
          `${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors; service RSS ${mib(rss)}`,
      );
    }
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
