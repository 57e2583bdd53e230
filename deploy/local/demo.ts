// The platform's main job, end to end on the running services: a data engineer's Kafka topic becomes features,
// a training request turns them into a model on a point-in-time dataset (labels taken from a feature's history),
// the registry versions it with its lineage and champion comparison, and governance audits it.
import { localKafkaConnection } from '@mlops/config';
import { createKafka } from '@mlops/messaging';

const FEATURE_STORE = 'http://127.0.0.1:8082';
const TRAINER = 'http://127.0.0.1:8086';
const REGISTRY = 'http://127.0.0.1:8084';
const GOVERNANCE = 'http://127.0.0.1:8085';
const MODEL = 'demo-churn';
const VIEW = 'demo_usage';
const CUSTOMERS = 2000;
// Fixed times and a seeded generator: a second run sends the same records, which the feature store dedupes.
const T0 = Date.UTC(2026, 9, 1);

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, seconds = 120): Promise<T> {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

async function defineFeatures(): Promise<void> {
  await call('POST', `${FEATURE_STORE}/apply`, {
    entities: [{ name: 'demo_customer', joinKeys: [{ name: 'customer_id', type: 'int64' }] }],
    featureViews: [
      {
        name: VIEW,
        entities: ['demo_customer'],
        source: { topic: `${VIEW}.src`, eventTimeField: 'at' },
        schema: [
          { name: 'minutes', type: 'float64' },
          { name: 'tickets', type: 'int64' },
          { name: 'churned', type: 'int64' },
        ],
        ttlSeconds: 30 * 24 * 3600,
        owner: 'demo',
      },
    ],
  });
  console.log(`demo: feature view ${VIEW} applied (topic ${VIEW}.src)`);
}

async function streamRecords(): Promise<void> {
  const producer = createKafka(localKafkaConnection('producer-demo', 'mlops-demo')).producer();
  await producer.connect();
  const random = seeded(42);
  const messages = Array.from({ length: CUSTOMERS }, (_, i) => {
    const minutes = Math.round(random() * 6000) / 10;
    const tickets = Math.floor(random() * 8);
    const churned = minutes < 150 || (tickets > 5 && random() < 0.8) ? 1 : 0;
    const record = { customer_id: i + 1, at: T0 + i * 60_000, minutes, tickets, churned };
    return { key: String(i + 1), value: JSON.stringify(record) };
  });
  await producer.send({ topic: `${VIEW}.src`, messages });
  await producer.disconnect();
  // Every customer must be in before training: the labels are read from the history as it is at request time.
  const ingested = async (from: number) => {
    const entities = Array.from({ length: CUSTOMERS / 2 }, (_, i) => ({ customer_id: from + i }));
    const read = await call<{ results: { features: Record<string, { status: string }> }[] }>('POST', `${FEATURE_STORE}/online-features`, {
      entities,
      features: [`${VIEW}:minutes`],
    });
    return read.results.every((r) => r.features[`${VIEW}:minutes`].status !== 'NOT_FOUND');
  };
  await poll('the feature store to ingest the records', async () => ((await ingested(1)) && (await ingested(CUSTOMERS / 2 + 1)) ? true : undefined));
  console.log(`demo: streamed ${CUSTOMERS} plain JSON records to ${VIEW}.src; the feature store ingested them`);
}

interface RequestStatus {
  status: 'queued' | 'training' | 'completed' | 'failed';
  runId?: string;
  reason?: string;
  progress?: { iteration: number; totalIterations: number } | null;
}

async function train(): Promise<string> {
  const { requestId } = await call<{ requestId: string }>('POST', `${TRAINER}/training-requests`, {
    modelName: MODEL,
    featureRefs: [`${VIEW}:minutes`, `${VIEW}:tickets`],
    labelSource: { kind: 'feature', featureRef: `${VIEW}:churned` },
    algorithm: 'gbdt_classifier',
    hyperparameters: { numIterations: 60, minChildSamples: 10 },
    split: { policy: 'time', holdoutFraction: 0.2 },
    seed: 7,
    requestedBy: 'demo',
  });
  console.log(`demo: training request ${requestId} submitted (labels: the history of ${VIEW}:churned)`);
  const done = await poll('the training run', async () => {
    const status = await call<RequestStatus>('GET', `${TRAINER}/training-requests/${requestId}`);
    return status.status === 'completed' || status.status === 'failed' ? status : undefined;
  }, 300);
  if (done.status === 'failed' || !done.runId) throw new Error(`training failed: ${done.reason}`);
  return done.runId;
}

async function main(): Promise<void> {
  await defineFeatures();
  await streamRecords();
  const runId = await train();
  const run = await call<{ metrics: Record<string, number>; championMetrics: Record<string, number> | null; durationMs: number }>('GET', `${TRAINER}/runs/${runId}`);
  console.log(`demo: run ${runId} trained in ${run.durationMs} ms, holdout AUC ${run.metrics.auc.toFixed(4)}${run.championMetrics ? `, champion on the same holdout ${run.championMetrics.auc.toFixed(4)}` : ''}`);

  const version = await poll('the registry to register the run', async () => {
    const body = await call<{ items: { version: number; approvalStatus: string; lineage: { runId: string; datasetSha256: string } }[] }>(
      'GET',
      `${REGISTRY}/models/${MODEL}/versions?limit=500`,
    );
    return body.items.find((v) => v.lineage.runId === runId);
  });
  console.log(`demo: registry has ${MODEL} v${version.version} (${version.approvalStatus}), dataset sha256 ${version.lineage.datasetSha256.slice(0, 12)}…`);

  const audit = await poll('governance to audit the new version', async () => {
    const body = await call<{ items: { eventId: string; data: { version: number } }[] }>(
      'GET',
      `${GOVERNANCE}/audit?subject=${MODEL}&type=mlops.registry.version-registered.v1&limit=1000`,
    );
    return body.items.find((e) => e.data.version === version.version);
  });
  console.log(`demo: governance audited version-registered ${audit.eventId} for v${audit.data.version}`);
  console.log(`demo: done; see the run with: libs/cli/bin/mlops runs show ${runId}`);
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
