import * as grpc from '@grpc/grpc-js';
import { getJson, waitFor } from '@mlops/testing';
import { featureRows, GatewayHarness, InferBody, uniqueModelName } from './testing/gateway-harness';
import { stickyBucket } from './traffic/traffic-router';

const body = (extra: Record<string, unknown> = {}) => ({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], data: featureRows(1)[0] }], ...extra });

describe('inference gateway: traffic splits, hot swaps and prediction logs, against real Kafka, MinIO and onnxruntime', () => {
  let h: GatewayHarness;
  const model = uniqueModelName('gw-traffic');
  const served: Awaited<ReturnType<GatewayHarness['upload']>>[] = [];
  let revision = 0;

  async function deploy(champion: number, challenger: Record<string, unknown> | null = null): Promise<number> {
    revision += 1;
    const challengerData = challenger ? { ...served[(challenger.version as number) - 1], ...challenger } : null;
    await h.deploy({ modelName: model, revision, champion: served[champion - 1], challenger: challengerData as never });
    await h.waitForRevision(model, revision);
    return revision;
  }

  async function infer(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<InferBody> {
    const response = await h.inferHttp(`/v2/models/${model}/infer`, body(extra), headers);
    expect(response.status).toBe(200);
    return response.body;
  }

  beforeAll(async () => {
    h = await GatewayHarness.start();
    for (let version = 1; version <= 6; version++) served.push(await h.upload(model, version));
    await h.collectPredictions([model]);
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('canary: sends about its weight of traffic to the challenger and the rest to the champion', async () => {
    await deploy(1, { version: 2, mode: 'canary', weight: 0.3 });
    const versions = await Promise.all(Array.from({ length: 300 }, () => infer().then((r) => r.model_version)));
    const challenger = versions.filter((v) => v === '2').length;
    expect(versions.filter((v) => v === '1').length + challenger).toBe(300);
    // 300 draws at 0.3: mean 90, standard deviation 8; the bounds are more than 5 deviations away.
    expect(challenger).toBeGreaterThan(45);
    expect(challenger).toBeLessThan(135);
  });

  it('ab: pins each key to one side by its hash, from a request parameter, a header or gRPC alike', async () => {
    await deploy(1, { version: 2, mode: 'ab', stickyKey: 'customer', weight: 0.5 });
    const seen = new Set<string>();
    for (let i = 0; i < 24; i++) {
      const customer = `customer-${i}`;
      const wanted = stickyBucket(model, customer) < 0.5 ? '2' : '1';
      const byParameter = await infer({ parameters: { customer } });
      const byHeader = await infer({}, { customer });
      const byGrpc = await h.grpc<{ model_version: string }>('ModelInfer', {
        model_name: model,
        parameters: { customer: { string_param: customer } },
        inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], contents: { fp32_contents: featureRows(1)[0] } }],
      });
      expect([byParameter.model_version, byHeader.model_version, byGrpc.model_version]).toEqual([wanted, wanted, wanted]);
      seen.add(wanted);
    }
    expect(seen).toEqual(new Set(['1', '2']));
    const withoutKey = await Promise.all(Array.from({ length: 20 }, () => infer()));
    expect(new Set(withoutKey.map((r) => r.model_version))).toEqual(new Set(['1']));
  });

  it('shadow: answers from the champion only and logs the challenger\'s answer to the same request', async () => {
    await deploy(1, { version: 2, mode: 'shadow' });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => infer({ id: `shadow-${revision}-${i}` })));
    expect(new Set(responses.map((r) => r.model_version))).toEqual(new Set(['1']));
    const logged = await waitFor('champion and shadow logs of every request', async () => {
      const ofRevision = h.predictions.filter((p) => p.requestId.startsWith(`shadow-${revision}-`));
      return ofRevision.length >= 40 ? ofRevision : undefined;
    }, { timeoutMs: 30_000 });
    for (let i = 0; i < 20; i++) {
      const pair = logged.filter((p) => p.requestId === `shadow-${revision}-${i}`);
      expect(pair.map((p) => [p.role, p.version]).sort()).toEqual([['champion', 1], ['shadow', 2]]);
      expect(pair[1].outputs).toEqual(pair[0].outputs);
      expect(pair[0].inputs[0]).toMatchObject({ name: 'X', datatype: 'FP32', shape: [1, 20] });
    }
  });

  it('logs canary answers with the challenger role', async () => {
    await waitFor('challenger logs from the canary', async () => h.predictions.some((p) => p.role === 'challenger' && p.version === 2), { timeoutMs: 30_000 });
  });

  it('swaps versions under load without failing a single request, over HTTP and gRPC', async () => {
    await deploy(1);
    let running = true;
    const outcomes: string[] = [];
    const httpLoop = async () => {
      while (running) {
        const response = await h.inferHttp(`/v2/models/${model}/infer`, body()).catch((err: Error) => ({ status: 0, body: { model_version: err.message } }));
        outcomes.push(response.status === 200 ? `v${response.body.model_version}` : `failed ${response.status} ${JSON.stringify(response.body)}`);
      }
    };
    const grpcLoop = async () => {
      while (running) {
        const request = { model_name: model, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], contents: { fp32_contents: featureRows(1)[0] } }] };
        outcomes.push(await h.grpc<{ model_version: string }>('ModelInfer', request).then((r) => `v${r.model_version}`, (err: grpc.ServiceError) => `failed grpc ${err.code} ${err.details}`));
      }
    };
    const loops = [...Array.from({ length: 6 }, httpLoop), ...Array.from({ length: 4 }, grpcLoop)];
    await waitFor('load running', async () => outcomes.length > 50);
    for (const champion of [3, 4, 5, 1]) {
      await deploy(champion);
      const before = outcomes.length;
      await waitFor('requests served by the new revision', async () => outcomes.length > before + 50);
    }
    running = false;
    await Promise.all(loops);
    expect(outcomes.filter((o) => o.startsWith('failed'))).toEqual([]);
    expect(new Set(outcomes)).toEqual(new Set(['v1', 'v3', 'v4', 'v5']));
  });

  it('keeps serving the previous revision when a new one fails to load, and reports the failure', async () => {
    const failedRevision = revision + 1;
    revision = failedRevision;
    const tampered = { ...served[5], artifact: { ...served[5].artifact, sha256: '0'.repeat(64) } };
    await h.deploy({ modelName: model, revision: failedRevision, champion: tampered, challenger: null });
    const detail = await waitFor('the failure reported in readiness', async () => {
      const ready = await h.readyDetail();
      return ready.failures.find((f) => f.modelName === model) ? ready : undefined;
    });
    expect(detail.failures.find((f) => f.modelName === model)).toMatchObject({ revision: failedRevision, version: 6, error: expect.stringContaining('integrity check failed') });
    expect(detail.models.find((m) => m.name === model)).toMatchObject({ revision: failedRevision - 1 });
    expect((await infer()).model_version).toBe('1');
    const metrics = (await getJson<string>(`${h.gateway.url}/metrics`)).body;
    expect(metrics).toMatch(new RegExp(`mlops_inference_gateway_model_loads_total\\{model="${model}",outcome="failed"[^}]*\\} 1`));

    await deploy(6);
    expect((await infer()).model_version).toBe('6');
    expect((await h.readyDetail()).failures.find((f) => f.modelName === model)).toBeUndefined();
  });
});
