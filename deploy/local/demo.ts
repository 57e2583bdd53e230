// The platform's main job, end to end on the running services: a data engineer's Kafka topic becomes features,
// a training request turns them into a model on a point-in-time dataset (labels taken from a feature's history),
// the registry versions it with its lineage and champion comparison, governance checks it against its policy and
// approves it (a minimal-risk model passing every check needs nobody), and it serves through the gateway. It works as
// a data scientist and reads the audit trail as an auditor, with keys it makes with the admin key and revokes at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreatedApiKey, PrincipalView, Role } from '@mlops/contracts';
import { localKafkaConnection } from '@mlops/config';
import { createKafka } from '@mlops/messaging';

const FEATURE_STORE = 'http://127.0.0.1:8082';
const TRAINER = 'http://127.0.0.1:8086';
const REGISTRY = 'http://127.0.0.1:8084';
const GOVERNANCE = 'http://127.0.0.1:8085';
const GATEWAY = 'http://127.0.0.1:8080';
const MODEL = 'demo-churn';
const VIEW = 'demo_usage';
const CUSTOMERS = 2000;
// Fixed times and a seeded generator: a second run sends the same records, which the feature store dedupes.
const T0 = Date.UTC(2026, 9, 1);

const ADMIN_KEY = readFileSync(join(__dirname, '..', '..', '.data', 'admin.key'), 'utf8').trim();
// Set once the demo has made its own keys.
const keys = { scientist: '', auditor: '' };

async function call<T>(method: string, url: string, body?: unknown, apiKey = keys.scientist): Promise<T> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
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

// --- governance: the model's risk tier, its approval, and serving it (kept apart from the steps above) ---

/**
 * The registry holds the tier its owner declares; with no policy applied, governance judges the model at that tier
 * by the default policy. Minimal risk: a version passing every check is approved without anyone.
 */
async function declareMinimalRiskModel(): Promise<void> {
  const response = await fetch(`${REGISTRY}/models`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.scientist}` },
    body: JSON.stringify({ name: MODEL, owner: 'demo-owner', riskTier: 'minimal', description: 'Demo churn model (minimal risk)' }),
  });
  if (response.status !== 201 && response.status !== 409) throw new Error(`POST /models answered ${response.status}: ${await response.text()}`);
  const model = await call<{ riskTier: string }>('GET', `${REGISTRY}/models/${MODEL}`);
  if (model.riskTier !== 'minimal') {
    throw new Error(`${MODEL} exists with risk tier ${model.riskTier}: its versions wait for an approver (mlops approvals list --model ${MODEL})`);
  }
  console.log(`demo: ${MODEL} registered as a minimal-risk model owned by demo-owner`);
}

interface DemoApproval {
  status: string;
  checks: { name: string; passed: boolean; detail: string }[];
  decisions: { reviewer: string; decision: string; reason: string; automatic: boolean }[];
}

async function awaitApproval(version: number): Promise<void> {
  const approval = await poll('governance to check and decide on the version', async () => {
    const body = await call<DemoApproval>('GET', `${GOVERNANCE}/approvals/${MODEL}/${version}`);
    return body.status === 'PendingManualApproval' && body.checks.every((c) => c.passed) ? undefined : body;
  });
  for (const check of approval.checks) console.log(`demo:   check ${check.name}: ${check.passed ? 'passed' : 'FAILED'} (${check.detail})`);
  if (approval.status !== 'Approved') throw new Error(`v${version} is ${approval.status}, not approved: see mlops approvals show ${MODEL} ${version}`);
  const decision = approval.decisions[approval.decisions.length - 1];
  console.log(`demo: governance approved v${version}${decision.automatic ? ' automatically' : ` (${decision.reviewer})`}: ${decision.reason}`);
}

async function serveAsChampion(version: number): Promise<void> {
  await poll('the registry to record the approval', async () => {
    const { approvalStatus } = await call<{ approvalStatus: string }>('GET', `${REGISTRY}/models/${MODEL}/versions/${version}`);
    return approvalStatus === 'approved' ? true : undefined;
  });
  await call('POST', `${REGISTRY}/models/${MODEL}/deployments`, { champion: version, changedBy: 'demo', reason: 'approved by its policy' });
  await poll('the gateway to load the champion', async () => {
    const metadata = await call<{ versions: string[] }>('GET', `${GATEWAY}/v2/models/${MODEL}`);
    return metadata.versions[0] === String(version) ? true : undefined;
  });
  const customer = { minutes: 95.5, tickets: 6 };
  const answer = await call<{ model_version: string; outputs: { name: string; data: unknown[] }[] }>('POST', `${GATEWAY}/v2/models/${MODEL}/infer`, {
    inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 2], data: [customer.minutes, customer.tickets] }],
  });
  const outputs = answer.outputs.map((o) => `${o.name}=${JSON.stringify(o.data)}`).join(' ');
  console.log(`demo: v${version} serves as champion; the gateway answered for ${JSON.stringify(customer)} with v${answer.model_version}: ${outputs}`);
}

/** A one-day key for a principal of the demo, made (with the principal if need be) with the admin key. */
async function demoKey(name: string, role: Role): Promise<CreatedApiKey> {
  const { items } = await call<{ items: PrincipalView[] }>('GET', `${GOVERNANCE}/principals?name=${name}`, undefined, ADMIN_KEY);
  const principal = items[0] ?? (await call<PrincipalView>('POST', `${GOVERNANCE}/principals`, { name, roles: [role] }, ADMIN_KEY));
  return call<CreatedApiKey>('POST', `${GOVERNANCE}/principals/${principal.id}/keys`, { expiresInDays: 1, description: 'platform demo' }, ADMIN_KEY);
}

async function makeKeys(): Promise<CreatedApiKey[]> {
  const made = [await demoKey('demo-scientist', 'data-scientist'), await demoKey('demo-auditor', 'auditor')];
  [keys.scientist, keys.auditor] = made.map((key) => key.apiKey);
  // Every service learns of a key from governance's key topic, within moments of its creation.
  const reads = [`${FEATURE_STORE}/entities`, `${TRAINER}/runs?limit=1`, `${REGISTRY}/models?limit=1`];
  await poll('every service to accept the demo key', async () => ((await Promise.all(reads.map((url) => call('GET', url)))) ? true : undefined), 30);
  console.log(`demo: keys ${made.map((k) => `${k.keyId} (${k.principalName}, ${k.roles.join(', ')})`).join(' and ')} made with the admin key`);
  return made;
}

async function revokeKeys(made: CreatedApiKey[]): Promise<void> {
  for (const key of made) await call('DELETE', `${GOVERNANCE}/keys/${key.keyId}`, undefined, ADMIN_KEY);
  const refused = async () => {
    const response = await fetch(`${REGISTRY}/models`, { headers: { authorization: `Bearer ${keys.scientist}` } });
    return response.status === 401 ? ((await response.json()) as { reason: string }).reason : undefined;
  };
  console.log(`demo: revoked the demo keys; the registry now answers 401 ${await poll('the registry to refuse the revoked key', refused, 10)}`);
}

async function main(): Promise<void> {
  const made = await makeKeys();
  await defineFeatures();
  await streamRecords();
  await declareMinimalRiskModel();
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
      undefined,
      keys.auditor,
    );
    return body.items.find((e) => e.data.version === version.version);
  });
  console.log(`demo: governance audited version-registered ${audit.eventId} for v${audit.data.version}`);
  await awaitApproval(version.version);
  await serveAsChampion(version.version);
  await revokeKeys(made);
  console.log(`demo: done; see the run with: MLOPS_API_KEY="$(cat .data/admin.key)" libs/cli/bin/mlops runs show ${runId}, the approval with: ... approvals show ${MODEL} ${version.version}`);
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
