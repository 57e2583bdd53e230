import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent, createHttpClient, inferenceGatewayRoutes } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { getJson, ServiceProcess, waitFor } from '@mlops/testing';
import { localKafkaConnection, localS3 } from '@mlops/config';

interface ReadyDetail {
  models: { name: string; revision: number }[];
  failures: { modelName: string; revision: number }[];
}
interface Listed {
  items: { modelName: string; revision: number; champion: unknown }[];
}

const modelName = `e2e-gw-registry-${randomUUID().slice(0, 8)}`;
const store = new ObjectStore(localS3('admin'));
const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', 'e2e-gateway-registry')));

/**
 * The gateway starts against the real registry. While the registry has no deployments API the gateway must say
 * so, keep asking in the background and serve from deployment-changed events; once the API exists, it must
 * converge to what the API lists.
 */
describe('inference gateway with the real registry: start-up load from GET /deployments, then events', () => {
  let registry: ServiceProcess;
  let gateway: ServiceProcess;
  let withoutKafka: ServiceProcess;

  beforeAll(async () => {
    registry = await ServiceProcess.start('registry');
    await registry.waitUntilReady();
    gateway = await ServiceProcess.start('inference-gateway', { MLOPS_GATEWAY_REPLICA_ID: `e2e-${randomUUID()}`, MLOPS_GATEWAY_GRPC_PORT: '0', MLOPS_GATEWAY_REGISTRY_URL: registry.url });
    // With no broker, nothing can come from events: whatever this one serves it learned from the registry API.
    withoutKafka = await ServiceProcess.start('inference-gateway', {
      // Gateways on one host each need their own replica id (their own consumer group of deployment changes).
      MLOPS_GATEWAY_REPLICA_ID: `e2e-${randomUUID()}`,
      MLOPS_GATEWAY_GRPC_PORT: '0',
      MLOPS_GATEWAY_REGISTRY_URL: registry.url,
      MLOPS_KAFKA_BROKERS: '127.0.0.1:1',
    });
    await gateway.waitUntilReady('/v2/health/ready');
    await store.ensureBuckets(Object.values(BUCKETS));
    await publisher.connect();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await Promise.all([gateway?.stop(), withoutKafka?.stop(), registry?.stop()]);
  });

  it('loads what the registry lists, or says the registry has no deployments API and retries', async () => {
    const listed = await getJson<Listed>(`${registry.url}/deployments`);
    if (listed.status === 404) {
      await waitFor('the gateway to report the missing endpoint', async () => withoutKafka.logs().includes('answered 404: no deployments endpoint'));
      return;
    }
    expect(listed.status).toBe(200);
    await waitFor('the start-up load', async () => withoutKafka.logs().includes(`registry listed ${listed.body.items.length} deployment(s)`));
    for (const deployment of listed.body.items.filter((item) => item.champion !== null)) {
      await waitFor(`${deployment.modelName} revision ${deployment.revision} served or reported`, async () => {
        const detail = (await getJson<ReadyDetail>(`${withoutKafka.url}/v2/health/ready`)).body;
        const served = detail.models.find((m) => m.name === deployment.modelName);
        const failed = detail.failures.find((f) => f.modelName === deployment.modelName);
        return (served !== undefined && served.revision >= deployment.revision) || (failed !== undefined && failed.revision >= deployment.revision);
      });
    }
  });

  it('serves a model as soon as its deployment-changed event arrives', async () => {
    const stored = await store.putBuffer(BUCKETS.artifacts, `models/${modelName}/1/model.onnx`, readFileSync(join(__dirname, 'fixtures/models/sklearn-logreg-20.onnx')));
    const champion = { version: 1, artifact: { uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes } };
    const data = { modelName, revision: 1, champion, challenger: null, changedBy: 'e2e', reason: 'registry e2e', effectiveFrom: new Date().toISOString() };
    await publisher.publish('mlops.registry.deployment-changed', createEvent('mlops.registry.deployment-changed', data, { source: 'registry' }));
    await gateway.waitUntilReady(`/v2/models/${modelName}/ready`, 60_000);
    const client = createHttpClient(inferenceGatewayRoutes, { baseUrl: gateway.url });
    const response = await client.infer({ params: { model: modelName }, body: { inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], data: Array(20).fill(0.5) }] } });
    expect(response.model_version).toBe('1');
  });
});
