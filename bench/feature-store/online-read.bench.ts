// Online reads at a fixed request rate: 1 entity x 10 features and 100 entities x 10 features per request, over
// HTTP POST /online-features and over gRPC GetOnlineFeatures, against values ingested through Kafka. Prints
// latency percentiles, the service's CPU time per request, the share of (view, entity) lookups its online cache
// answered, its memory and the machine's load average; asserts nothing. The target is 1 entity x 10 features at
// 1,000 req/s with p99 <= 2 ms over both protocols; the last lines say whether each run met it.
// MLOPS_FEATURE_STORE_ONLINE_CACHE_ENTRIES=0 in this process's environment measures the service reading Postgres on
// every request instead.
// A profile directory as the third argument writes the service's CPU profile there when it stops.
//   node -r @swc-node/register bench/feature-store/online-read.bench.ts [rate=1000] [seconds=15] [profile-dir]
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort, ServiceProcess, testAuth, waitFor } from '@mlops/testing';
import {
  FEATURES,
  ingestedTotal,
  mib,
  post,
  produce,
  serviceRss,
  startService,
  storedOnlineCount,
  tag,
  viewDefinition,
} from './bench-setup';
import { HttpPoster } from '../fixed-rate-http';
import { runAtFixedRate } from '../fixed-rate';
import { OnlineFeaturesGrpcLoad } from './grpc-fixed-rate';

const RATE = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 15);
const PROFILE_DIR = process.argv[4];
const ENTITIES = 10_000;
// Its own consumer group: sharing one with another feature-store bench would split this view's partitions
// with that bench's service process.
const GROUP = 'mlops-feature-store-bench-online';

const TARGET_P99_MS = 2;
const targetRuns: string[] = [];

const entityName = (batch: number) => `${batch} entit${batch === 1 ? 'y' : 'ies'} x ${FEATURES.length} features at ${RATE} req/s for ${SECONDS} s`;

async function main(): Promise<void> {
  const grpcPort = await freePort();
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const service = await startService({
    MLOPS_FEATURE_STORE_SOURCE_GROUP: GROUP,
    MLOPS_FEATURE_STORE_GRPC_PORT: String(grpcPort),
    ...(PROFILE_DIR ? { NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile-preload.js')}`, CPU_PROFILE_DIR: PROFILE_DIR } : {}),
    ...(process.env.MLOPS_FEATURE_STORE_ONLINE_CACHE_ENTRIES ? { MLOPS_FEATURE_STORE_ONLINE_CACHE_ENTRIES: process.env.MLOPS_FEATURE_STORE_ONLINE_CACHE_ENTRIES } : {}),
  });
  const grpcLoad = new OnlineFeaturesGrpcLoad(`127.0.0.1:${grpcPort}`, 4);
  try {
    const run = tag();
    const entity = `user_${run}`;
    const view = `online_${run}`;
    await produce(`${view}.src`, ENTITIES, ENTITIES, Date.now(), 3600 * 1000);
    await post(`${service.url}/entities`, { name: entity, joinKeys: [{ name: 'user_id', type: 'int64' }] });
    await post(`${service.url}/feature-views`, viewDefinition(view, entity, 24 * 3600));
    await waitFor('values ingested', async () => (await storedOnlineCount(view)) >= ENTITIES, { timeoutMs: 300_000 });
    // The group also consumes the topics of every other view in the database (earlier runs, other benches): reads
    // are measured only once the service has stopped ingesting, or they would share the CPU with a catch-up.
    if (!(await ingestionIdle(service))) console.log('note: the service was still ingesting other views while measuring');
    const features = FEATURES.map((f) => `${view}:${f}`);
    const userIds = (n: number, batch: number) => Array.from({ length: batch }, (_, i) => (n * 131 + i) % ENTITIES);

    const poster = new HttpPoster(`${service.url}/online-features`, 10, testAuth('app'));
    try {
      for (const batch of [1, 100]) {
        const load = (seconds: number) =>
          runAtFixedRate((n) => poster.post(JSON.stringify({ entities: userIds(n, batch).map((user_id) => ({ user_id })), features })), RATE, seconds);
        // Warm-up first: JIT, route compilation, the connection pool growing to its size and the online cache
        // holding the working set (every entity read once) are not steady state.
        await load(Math.max(5, Math.ceil(ENTITIES / batch / RATE)));
        await measure(service, `HTTP online read, ${entityName(batch)}`, 'request', () => load(SECONDS), batch === 1);
      }
    } finally {
      poster.close();
    }

    for (const batch of [1, 100]) {
      const request = (n: number) => ({ entities: userIds(n, batch).map((id) => ({ join_keys: { user_id: String(id) } })), features });
      await grpcLoad.run(request, RATE, 5);
      await measure(service, `gRPC online read, ${entityName(batch)}`, 'call', () => grpcLoad.run(request, RATE, SECONDS), batch === 1);
    }
    for (const line of targetRuns) console.log(line);
  } finally {
    grpcLoad.close();
    await service.stop();
  }
}

/**
 * One measured run: latency percentiles, the service's CPU per request, its cache figures and its memory; a
 * `targeted` run is also held to the p99 target.
 */
async function measure(
  service: ServiceProcess,
  label: string,
  unit: 'request' | 'call',
  run: () => ReturnType<typeof runAtFixedRate>,
  targeted: boolean,
): Promise<void> {
  const before = await serviceCounters(service.url);
  const result = await run();
  const after = await serviceCounters(service.url);
  const total = result.ok + result.errors;
  const cpuPerRequest = (after.cpu - before.cpu) / Math.max(1, total);
  const rss = await serviceRss(service);
  if (targeted) {
    targetRuns.push(`target p99 <= ${TARGET_P99_MS} ms, ${label}: ${result.p99 <= TARGET_P99_MS && result.errors === 0 ? 'met' : 'missed'} (p99 ${result.p99} ms)`);
  }
  console.log(
    `${label}: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms; ` +
      `${total} ${unit}s (${(total / SECONDS).toFixed(0)} ${unit}s/s), ${result.errors} errors` +
      `${result.firstError ? ` (first: ${result.firstError})` : ''}; ` +
      `service CPU ${(cpuPerRequest * 1e6).toFixed(0)} us/${unit}; ${cacheFigure(before, after)}; service RSS ${mib(rss)}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
}

/** True once the service's ingested-record count stood still for 3 s; false if it never did within 3 minutes. */
async function ingestionIdle(service: ServiceProcess): Promise<boolean> {
  let last = -1;
  let still = 0;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
    const count = await ingestedTotal(service);
    still = count === last ? still + 1 : 0;
    if (still >= 3) return true;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

interface ServiceCounters {
  cpu: number;
  hits: number;
  misses: number;
}

/** User plus system CPU the service process has used and its online cache's tallies, from its own Prometheus metrics. */
async function serviceCounters(url: string): Promise<ServiceCounters> {
  const lines = (await (await fetch(`${url}/metrics`)).text()).split('\n');
  const value = (name: string) => Number(lines.find((l) => l.startsWith(name))?.split(' ').pop() ?? NaN);
  return {
    cpu: value('process_cpu_seconds_total'),
    hits: value('mlops_feature_store_online_cache_hits_total'),
    misses: value('mlops_feature_store_online_cache_misses_total'),
  };
}

function cacheFigure(before: ServiceCounters, after: ServiceCounters): string {
  const hits = after.hits - before.hits;
  const lookups = hits + after.misses - before.misses;
  return lookups > 0 ? `online cache hits ${((100 * hits) / lookups).toFixed(1)}% of ${lookups} lookups` : 'online cache off';
}

void main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
