// Soak: the whole loop at a steady rate for a long while (default 600 s), to see whether latency or memory drift.
// Feature records stream into the feature store over Kafka, inference runs over OIP HTTP and gRPC against a champion
// the registry deployed after governance approved it, and every prediction is logged to the monitor (and counted by
// governance). Each minute prints p50/p99 per protocol and the load; at the end, each service's RSS slope
// (MiB/min, least squares over the per-minute samples). Settings (environment):
//   SOAK_SECONDS (600), SOAK_HTTP_RATE (50/s), SOAK_GRPC_RATE (50/s), SOAK_FEATURE_RATE (100 records/s)
// Run it where it owns the infrastructure or shares it harmlessly: node -r @swc-node/register bench/soak/soak.bench.ts
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { SERVICE_NAMES, ServiceName } from '@mlops/contracts';
import { CALL_TIMEOUT_MS, CallRecord, FeatureRecordStream, getJson, grpcInferCalls, httpInferCalls, leastSquaresSlope, metricSum, PlatformLoop, PlatformStack, positiveSetting, residentBytes } from '@mlops/testing';
import { percentile } from '../fixed-rate';

const SECONDS = positiveSetting('SOAK_SECONDS', 600);
const HTTP_RATE = positiveSetting('SOAK_HTTP_RATE', 50);
const GRPC_RATE = positiveSetting('SOAK_GRPC_RATE', 50);
const FEATURE_RATE = positiveSetting('SOAK_FEATURE_RATE', 100);
const MINUTE_MS = 60_000;

const MiB = 1024 * 1024;
const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function minuteLine(minute: number, records: CallRecord[]): string {
  const parts = (['http', 'grpc'] as const).map((protocol) => {
    const calls = records.filter((r) => r.protocol === protocol);
    const latencies = calls.filter((r) => r.ok).map((r) => r.latencyMs).sort((a, b) => a - b);
    return `${protocol} ${String(calls.length).padStart(6)} calls  p50 ${fixed(percentile(latencies, 50)).padStart(7)} ms  p99 ${fixed(percentile(latencies, 99)).padStart(7)} ms  errors ${calls.length - latencies.length}`;
  });
  return `minute ${String(minute).padStart(2)}  ${parts.join('   ')}   load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

async function main(): Promise<void> {
  console.log(`soak: ${SECONDS} s, HTTP ${HTTP_RATE}/s, gRPC ${GRPC_RATE}/s, features ${FEATURE_RATE} records/s; load at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const stack = await PlatformStack.start();
  const loop = new PlatformLoop(stack, `soak-${randomUUID().slice(0, 8)}`);
  const grpcLoad = grpcInferCalls(`127.0.0.1:${stack.grpcPort('inference-gateway')}`, loop.modelName, GRPC_RATE);
  const features = new FeatureRecordStream(await loop.applyFeatureView(`soak_${randomUUID().slice(0, 8)}`), Math.ceil(FEATURE_RATE * SECONDS), FEATURE_RATE, 1000);
  const http = httpInferCalls(() => stack.url('inference-gateway'), loop.modelName, HTTP_RATE);
  try {
    await loop.deployChampion(10_000);
    const rss = new Map<ServiceName, number[]>(SERVICE_NAMES.map((s) => [s, []]));
    const sampleRss = () => SERVICE_NAMES.forEach((s) => rss.get(s)?.push((residentBytes(stack.pid(s) ?? 0) ?? NaN) / MiB));
    await features.start();
    http.start();
    grpcLoad.calls.start();
    const startedAt = Date.now();
    sampleRss();
    for (let minute = 1; minute * MINUTE_MS <= SECONDS * 1000; minute++) {
      await new Promise((resolve) => setTimeout(resolve, startedAt + minute * MINUTE_MS - Date.now()));
      sampleRss();
      // A call is recorded when it ends: the minute's last calls get their timeout to finish before it is summed.
      await new Promise((resolve) => setTimeout(resolve, CALL_TIMEOUT_MS));
      const from = startedAt + (minute - 1) * MINUTE_MS;
      const inMinute = (r: CallRecord) => r.sentAt >= from && r.sentAt < from + MINUTE_MS;
      console.log(minuteLine(minute, [...http.records.filter(inMinute), ...grpcLoad.calls.records.filter(inMinute)]));
    }
    await Promise.all([http.stop(), grpcLoad.calls.stop(), features.stop()]);
    const exposition = async (service: ServiceName) => (await getJson<string>(`${stack.url(service)}/metrics`)).body;
    const ingested = metricSum(await exposition('feature-store'), 'mlops_feature_store_ingested_records_total');
    const folded = metricSum(await exposition('monitor'), 'mlops_monitor_stream_records_total');
    const published = metricSum(await exposition('inference-gateway'), 'mlops_inference_gateway_prediction_log_published_total');
    const dropped = metricSum(await exposition('inference-gateway'), 'mlops_inference_gateway_prediction_log_dropped_total');
    console.log(`feature records acknowledged ${features.acknowledged} (${features.invalid} invalid on purpose), ingested ${ingested}; prediction logs published ${published}, dropped ${dropped}, folded by the monitor ${folded}`);
    console.log('RSS per service (MiB at each minute; slope by least squares over the samples):');
    for (const [service, samples] of rss) {
      const points = samples.map((mib, minute): [number, number] => [minute, mib]);
      // The first minute holds the warm-up (JIT, pools, buffers filling); from minute 1 on is what a leak would show in.
      const slope = leastSquaresSlope(points);
      const warm = leastSquaresSlope(points.slice(1));
      console.log(`  ${service.padEnd(18)} ${fixed(samples[0], 0).padStart(5)} -> ${fixed(samples[samples.length - 1], 0).padStart(5)} MiB   slope ${fixed(slope).padStart(6)} MiB/min, ${fixed(warm).padStart(6)} from minute 1   [${samples.map((m) => fixed(m, 0)).join(' ')}]`);
    }
  } finally {
    grpcLoad.close();
    await loop.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
