import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { DEFAULT_HTTP_PORTS, localKafkaConnection } from '@mlops/config';
import { createEvent, createHttpClient, encodeEvent, inferenceGatewayRoutes, ServiceName } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { REPO_ROOT, sendJson, ServiceProcess, testApiKey, waitFor } from '@mlops/testing';
import { ChurnModel, defineChurnFeatures, deployChurnModel, isApproved, PlatformApi, registerChurnModel, requestChurnTraining } from '@mlops/lifecycle';
import { allCustomersIngested, rawProducer, seededRandom, uniqueName } from './fixtures/feature-store/feature-store-harness';
import { dashboardExpressions, PrometheusServer, rulesWithShortFor, withoutThresholds } from './fixtures/observability/prometheus-server';

// The online read that proves ingestion takes at most 1000 entities.
const CUSTOMERS = 1000;
const WINDOW_ROWS = 100;
const SCRAPE_SECONDS = 2;
const PROTO_PATH = join(REPO_ROOT, 'proto', 'inference', 'grpc_predict_v2.proto');
const PROTO_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

type GrpcInfer = (request: unknown, callback: (err: grpc.ServiceError | null, response: { model_version: string }) => void) => void;

/**
 * The dashboards and alert rules against reality: the six services and a Prometheus scraping them, real traffic
 * through the whole loop (features over Kafka, two trainings, governance approving, champion and canary challenger
 * answering over HTTP and gRPC, prediction logs and late labels reaching the monitor, then drifted inputs), and every
 * panel's and alert's PromQL asked of Prometheus' HTTP API.
 *
 * The services share their Kafka consumer groups (and the monitor its stream lock) with any platform `platform up`
 * left running on this machine, which may do part of the work; so Prometheus scrapes that platform's default ports
 * too, as the platform's own prometheus.yml does (targets that do not answer are just down).
 */
describe('dashboards and alerts against a live Prometheus scraping the platform under real traffic', () => {
  const view = uniqueName('obs_usage');
  const modelName = `e2e-obs-${randomUUID().slice(0, 8)}`;
  const churn: ChurnModel = { model: modelName, view, topic: `${view}.src`, entity: `${view}_customer` };
  const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', `e2e-observability-${randomUUID().slice(0, 8)}`)));
  const services = new Map<ServiceName, ServiceProcess>();
  const svc = (name: ServiceName) => services.get(name) as ServiceProcess;
  /** The lifecycle steps the main job takes too, called as the test admin. */
  const api: PlatformApi = {
    get urls() {
      return { featureStore: svc('feature-store').url, trainer: svc('trainer').url, registry: svc('registry').url };
    },
    apiKey: testApiKey('admin'),
  };
  let prometheus: PrometheusServer;
  let producer: Producer;
  let grpcClient: grpc.Client & { ModelInfer: GrpcInfer };
  const random = seededRandom(20);
  let scored = 0;

  beforeAll(async () => {
    const featureStore = await ServiceProcess.start('feature-store', { MLOPS_FEATURE_STORE_SOURCE_GROUP: uniqueName('mlops-feature-store-observability-'), MLOPS_FEATURE_STORE_GRPC_PORT: '0' });
    const [registry, governance, monitor] = await Promise.all([ServiceProcess.start('registry'), ServiceProcess.start('governance'), ServiceProcess.start('monitor')]);
    const trainer = await ServiceProcess.start('trainer', { MLOPS_TRAINER_FEATURE_STORE_URL: featureStore.url, MLOPS_TRAINER_REGISTRY_URL: registry.url });
    const gateway = await ServiceProcess.start('inference-gateway', { MLOPS_GATEWAY_REPLICA_ID: `e2e-obs-${randomUUID()}`, MLOPS_GATEWAY_GRPC_PORT: '0', MLOPS_GATEWAY_REGISTRY_URL: registry.url });
    for (const s of [featureStore, registry, governance, monitor, trainer, gateway]) services.set(s.service, s);
    await Promise.all([featureStore, registry, governance, trainer].map((s) => s.waitUntilReady()));
    await gateway.waitUntilReady('/v2/health/live');
    const ours = [...services.values()].map((s) => ({ service: s.service, hostPort: `127.0.0.1:${s.port}` }));
    const platforms = Object.entries(DEFAULT_HTTP_PORTS).map(([service, port]) => ({ service, hostPort: `127.0.0.1:${port}` }));
    prometheus = await PrometheusServer.start([...ours, ...platforms], rulesWithShortFor(SCRAPE_SECONDS), SCRAPE_SECONDS);
    await publisher.connect();
    producer = await rawProducer();
    const definition = protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS);
    const proto = grpc.loadPackageDefinition(definition) as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
    grpcClient = new proto.inference.GRPCInferenceService(`127.0.0.1:${await gateway.grpcPort()}`, grpc.credentials.createInsecure()) as never;
  }, 180_000);

  afterAll(async () => {
    grpcClient?.close();
    await producer?.disconnect();
    await publisher.disconnect();
    await prometheus?.stop();
    await Promise.all([...services.values()].map((s) => s.stop()));
  });

  /** A customer as the feature view and the model see it; `shift` moves minutes up, as a changed product would. */
  function customer(shift = 0): { minutes: number; tickets: number; churned: number } {
    const minutes = Math.round(random() * 6000) / 10 + shift;
    const tickets = Math.floor(random() * 8);
    return { minutes, tickets, churned: minutes < 150 || (tickets > 5 && random() < 0.8) ? 1 : 0 };
  }

  async function streamFeatures(): Promise<void> {
    await defineChurnFeatures(api, churn, 'e2e');
    const t0 = Date.now() - 2 * 24 * 3600_000;
    const messages = Array.from({ length: CUSTOMERS }, (_, i) => ({ key: String(i + 1), value: JSON.stringify({ customer_id: i + 1, at: t0 + i * 60_000, ...customer() }) }));
    // One record the view refuses: it goes to the feature store's dead-letter topic and its rejected count.
    messages.push({ key: 'bad', value: JSON.stringify({ customer_id: CUSTOMERS + 1, at: t0, minutes: 'a lot', tickets: 1, churned: 0 }) });
    await producer.send({ topic: `${view}.src`, messages });
    await waitFor('every customer ingested', () => allCustomersIngested(svc('feature-store').url, `${view}:minutes`, CUSTOMERS), { timeoutMs: 120_000 });
  }

  async function trainVersion(seed: number): Promise<void> {
    await requestChurnTraining(api, churn, { seed, numIterations: 30 });
  }

  async function inferHttp(id: string, features: number[]): Promise<void> {
    const gateway = createHttpClient(inferenceGatewayRoutes, { baseUrl: svc('inference-gateway').url });
    const response = await gateway.infer({ params: { model: modelName }, body: { id, inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 2], data: features }] } });
    expect(response.id).toBe(id);
  }

  function inferGrpc(id: string, features: number[]): Promise<void> {
    const request = { model_name: modelName, id, inputs: [{ name: 'features', datatype: 'FP32', shape: ['1', '2'], contents: { fp32_contents: features } }] };
    return new Promise((resolve, reject) => grpcClient.ModelInfer(request, (err) => (err ? reject(err) : resolve())));
  }

  /** `count` customers scored, every fourth over gRPC, each with a label that arrives after its prediction. */
  async function traffic(count: number, shift: number): Promise<void> {
    const batch: { id: string; label: number }[] = [];
    for (let i = 0; i < count; i++) {
      const c = customer(shift);
      const id = `${modelName}-${scored++}`;
      await (i % 4 === 3 ? inferGrpc(id, [c.minutes, c.tickets]) : inferHttp(id, [c.minutes, c.tickets]));
      batch.push({ id, label: c.churned });
    }
    const labels = batch.map(({ id, label }) => createEvent('mlops.labels.observed', { requestId: id, modelName, label, observedAt: new Date().toISOString() }, { source: 'monitor' }));
    await publisher.publishRaw('mlops.labels.observed', labels.map((event) => ({ key: modelName, value: encodeEvent('mlops.labels.observed', event) })));
  }

  /** A deployment whose artifact is not what its checksum says: the gateway refuses it and counts a failed load. */
  async function deployBrokenModel(): Promise<void> {
    const broken = `${modelName}-broken`;
    const artifact = { uri: `s3://mlops-artifacts/models/${broken}/1/model.onnx`, sha256: '0'.repeat(64), sizeBytes: 10 };
    const data = { modelName: broken, revision: 1, champion: { version: 1, artifact }, challenger: null, changedBy: 'e2e', reason: 'a load that must fail', effectiveFrom: new Date().toISOString() };
    await publisher.publish('mlops.registry.deployment-changed', createEvent('mlops.registry.deployment-changed', data, { source: 'registry' }));
  }

  it('answers every panel and alert expression with series, and fires the drift alert once drift is injected', async () => {
    const started = Date.now();
    await streamFeatures();
    await registerChurnModel(api, churn, 'e2e', 'observability e2e');
    await trainVersion(1);
    await trainVersion(2);
    // Minimal risk: governance approves each version that passes its checks, with nobody's hand.
    await waitFor('v1 and v2 approved', async () => (await isApproved(api, churn, 1)) && (await isApproved(api, churn, 2)), { timeoutMs: 240_000 });
    const policy = await sendJson('PUT', `${svc('monitor').url}/models/${modelName}/policy`, {
      window: { maxRows: WINDOW_ROWS, maxSeconds: 86_400 },
      drift: { sampleSizeAware: true },
      performance: { minLabels: 10 },
    });
    expect(policy.status).toBe(200);
    await deployChurnModel(api, churn, { champion: 1, canary: { version: 2, weight: 0.3 }, reason: 'champion and canary for the dashboards' });
    await svc('inference-gateway').waitUntilReady(`/v2/models/${modelName}/ready`, 60_000);
    await deployBrokenModel();

    await traffic(4 * WINDOW_ROWS, 0);
    await traffic(4 * WINDOW_ROWS, 400);
    const rules = rulesWithShortFor(SCRAPE_SECONDS).groups.flatMap((g) => g.rules);
    const expressions = [
      ...dashboardExpressions().map((e) => ({ what: `${e.dashboard} / ${e.panel}`, expr: e.expr })),
      ...rules.map((r) => ({ what: r.alert ? `alert ${r.alert}` : `record ${r.record}`, expr: r.alert ? withoutThresholds(r.expr) : r.expr })),
    ];
    // Alerts as written must parse too (their lifted form above is what must find series).
    for (const rule of rules) expect({ rule: rule.alert ?? rule.record, status: (await prometheus.query(rule.expr)).status }).toEqual({ rule: rule.alert ?? rule.record, status: 'success' });
    // Realised metrics wait for the labels' join, and a rate needs two scrapes: the probe retries until all answer.
    const answered = await waitFor('every expression to find series', async () => {
      const answers = await Promise.all(expressions.map(async (e) => ({ ...e, answer: await prometheus.query(e.expr) })));
      const failing = answers.filter((a) => a.answer.status !== 'success' || (a.answer.data?.result.length ?? 0) === 0);
      if (failing.length > 0) throw new Error(`${failing.length} without series:\n${failing.map((f) => `${f.what}: ${f.answer.error ?? 'no series'}\n    ${f.expr}`).join('\n')}`);
      return answers;
    }, { timeoutMs: 90_000, intervalMs: 2000 });
    expect(answered.length).toBeGreaterThan(100);
    const drift = await waitFor('MlopsDataDrift firing for the model', async () => {
      const alerts = await prometheus.alerts();
      return alerts.find((a) => a.labels.alertname === 'MlopsDataDrift' && a.labels.model === modelName && a.state === 'firing');
    }, { timeoutMs: 60_000, intervalMs: 1000 });
    expect(['1', '2']).toContain(drift.labels.version);

    console.log(`observability e2e: ${answered.length} expressions answered with series; ${((Date.now() - started) / 1000).toFixed(0)} s from the first feature to the last query`);
  }, 480_000);
});
