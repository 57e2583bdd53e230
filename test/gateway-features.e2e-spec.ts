import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { createEvent, createHttpClient, HttpCallError, inferenceGatewayRoutes, InferRequest } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { freePort, ServiceProcess, waitFor } from '@mlops/testing';
import { postJson, rawProducer, uniqueName } from './fixtures/feature-store/feature-store-harness';
import { localKafkaConnection, localS3 } from '@mlops/config';
import type { z } from 'zod';

interface OnlineResult {
  results: { features: Record<string, { status: string }> }[];
}

const FEATURES = 20;

/** The gateway's refusal of a call: its status and OIP's `error` message. */
async function refusal(answer: Promise<unknown>): Promise<{ status: number; error: unknown }> {
  const err = await answer.then(
    () => {
      throw new Error('the gateway answered 200 where a refusal was expected');
    },
    (rejection: unknown) => rejection,
  );
  if (!(err instanceof HttpCallError)) throw err;
  return { status: err.status, error: (err.body as { error?: unknown }).error };
}
const store = new ObjectStore(localS3('admin'));
const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', 'e2e-gateway-features')));

/** Deterministic, distinct per customer, exactly representable in float32 so inline and fetched inputs are the same tensor. */
const featureRow = (customer: number): number[] => Array.from({ length: FEATURES }, (_, c) => Math.round(Math.sin(customer * 7 + c) * 1000) / 4096);

/**
 * The gateway and the feature store as real processes: features are streamed into the store from a plain JSON
 * topic, the model is deployed by a deployment-changed event, and an inference by entity key must answer what
 * the same features sent inline answer.
 */
describe('inference gateway: features by entity key from the feature store', () => {
  const entity = uniqueName('gwcustomer');
  const view = uniqueName('gwprofile');
  const topic = `${view}.events`;
  const modelName = `e2e-gw-features-${randomUUID().slice(0, 8)}`;
  const refs = Array.from({ length: FEATURES }, (_, c) => `${view}:f${c}`);
  const customers = ['c-1', 'c-2', 'c-3'];
  let featureStore: ServiceProcess;
  let gateway: ServiceProcess;
  let producer: Producer;

  const infer = (body: z.input<typeof InferRequest>) => createHttpClient(inferenceGatewayRoutes, { baseUrl: gateway.url }).infer({ params: { model: modelName }, body });
  const byEntity = (keys: string[], extra: Record<string, unknown> = {}) => infer({ parameters: { entities: { customer_id: keys }, features: refs, ...extra } });

  beforeAll(async () => {
    featureStore = await ServiceProcess.start('feature-store', {
      // A fixed group: a fresh one would first re-read the topics of every view earlier runs applied.
      MLOPS_FEATURE_STORE_SOURCE_GROUP: 'mlops-feature-store-e2e-gateway',
      MLOPS_FEATURE_STORE_DEFINITION_REFRESH_MS: '500',
      MLOPS_FEATURE_STORE_GRPC_PORT: '0',
    });
    gateway = await ServiceProcess.start('inference-gateway', {
      // Gateways on one host each need their own replica id (their own consumer group of deployment changes).
      MLOPS_GATEWAY_REPLICA_ID: `e2e-${randomUUID()}`,
      MLOPS_GATEWAY_GRPC_PORT: '0',
      // Nothing listens there: the model comes from the deployment-changed event alone.
      MLOPS_GATEWAY_REGISTRY_URL: `http://127.0.0.1:${await freePort()}`,
      MLOPS_GATEWAY_FEATURE_STORE_URL: featureStore.url,
    });
    await featureStore.waitUntilReady();
    await gateway.waitUntilReady('/v2/health/ready');
    await store.ensureBuckets(Object.values(BUCKETS));
    await publisher.connect();
    producer = await rawProducer();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await publisher.disconnect();
    await Promise.all([gateway?.stop(), featureStore?.stop()]);
  });

  it('serves the features streamed into the store for the entity keys named, equal to the same features inline', async () => {
    const applied = await postJson(`${featureStore.url}/apply`, {
      entities: [{ name: entity, joinKeys: [{ name: 'customer_id', type: 'string' }] }],
      featureViews: [
        {
          name: view,
          entities: [entity],
          source: { topic, eventTimeField: 'ts', entityKeyFields: { customer_id: 'customer_id' }, fieldMapping: Object.fromEntries(refs.map((_, c) => [`f${c}`, `profile.f${c}`])) },
          schema: refs.map((_, c) => ({ name: `f${c}`, type: 'float64', nullable: false })),
          ttlSeconds: 3600,
          owner: 'gateway-e2e',
        },
      ],
    });
    expect(applied.status).toBe(200);
    const now = new Date().toISOString();
    // The view's topic is subscribed on the store's next catalog refresh: keep producing until the values are online.
    await waitFor('features online for every customer', async () => {
      await producer.send({
        topic,
        messages: customers.map((customer, i) => ({ key: customer, value: JSON.stringify({ customer_id: customer, ts: now, profile: Object.fromEntries(featureRow(i + 1).map((v, c) => [`f${c}`, v])) }) })),
      });
      const online = await postJson<OnlineResult>(`${featureStore.url}/online-features`, { entities: customers.map((customer_id) => ({ customer_id })), features: refs });
      return online.status === 200 && online.body.results.every((result) => Object.values(result.features).every((value) => value.status === 'PRESENT'));
    }, { timeoutMs: 60_000, intervalMs: 1000 });

    const stored = await store.putBuffer(BUCKETS.artifacts, `models/${modelName}/1/model.onnx`, readFileSync(join(__dirname, 'fixtures/models/sklearn-logreg-20.onnx')));
    const champion = { version: 1, artifact: { uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes } };
    const deployment = { modelName, revision: 1, champion, challenger: null, changedBy: 'e2e', reason: 'features e2e', effectiveFrom: new Date().toISOString() };
    await publisher.publish('mlops.registry.deployment-changed', createEvent('mlops.registry.deployment-changed', deployment, { source: 'registry' }));
    await gateway.waitUntilReady(`/v2/models/${modelName}/ready`, 60_000);

    const order = ['c-3', 'c-1', 'c-2'];
    const fetched = await byEntity(order);
    const rows = order.map((customer) => featureRow(customers.indexOf(customer) + 1));
    const inline = await infer({ inputs: [{ name: 'X', datatype: 'FP32', shape: [3, FEATURES], data: rows }] });
    expect(fetched.outputs).toEqual(inline.outputs);
    expect(fetched.outputs.find((output) => output.name === 'probabilities')?.shape).toEqual([3, 2]);
    // Different customers, different features: a lookup that ignored the keys could not pass this.
    const probabilities = fetched.outputs.find((output) => output.name === 'probabilities')?.data ?? [];
    expect(new Set([probabilities[0], probabilities[2], probabilities[4]]).size).toBe(3);

    const named = await byEntity(['c-2'], { input: 'X' });
    expect(named.outputs.find((output) => output.name === 'label')?.data).toEqual([inline.outputs.find((output) => output.name === 'label')?.data?.[2]]);
  });

  it('refuses an entity the store does not know, naming the key and the feature', async () => {
    const response = await refusal(byEntity(['c-1', 'c-unknown']));
    expect(response.status).toBe(400);
    expect(response.error).toContain(`feature '${view}:f0' of entity customer_id=c-unknown is NOT_FOUND in the feature store`);
    expect(response.error).not.toContain('customer_id=c-1 ');
  });

  it('passes on what the store refuses and what does not fit the model', async () => {
    const unknownRef = await refusal(infer({ parameters: { entities: { customer_id: ['c-1'] }, features: [...refs.slice(1), `${view}:nope`] } }));
    expect(unknownRef.status).toBe(400);
    expect(unknownRef.error).toMatch(new RegExp(`feature store refused the lookup: features\\.19: .*${view}:nope`));
    const tooFew = await refusal(infer({ parameters: { entities: { customer_id: ['c-1'] }, features: refs.slice(0, 5) } }));
    expect(tooFew.status).toBe(400);
    expect(tooFew.error).toBe(`input 'X' of model ${modelName} takes 20 features per row, parameters.features names 5`);
  });

  it('answers 503 with the reason when the feature store cannot be reached', async () => {
    await featureStore.stop();
    const response = await refusal(byEntity(['c-1']));
    expect(response.status).toBe(503);
    expect(response.error).toMatch(new RegExp(`feature store at ${featureStore.url} is unreachable: ECONNREFUSED`));
  });
});
