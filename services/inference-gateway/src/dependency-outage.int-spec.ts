import { localS3 } from '@mlops/config';
import { getJson, TcpProxy, waitFor } from '@mlops/testing';
import { featureRows, GatewayHarness, uniqueModelName } from './testing/gateway-harness';

interface Readiness {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
  servingWithout?: string[];
}

/**
 * MinIO stays up for everyone else: this gateway reaches it only through a relay the spec cuts once the model is
 * loaded, which to the gateway is the object store going away.
 */
describe('inference gateway: ready while it serves its loaded models through a MinIO outage', () => {
  let minio: TcpProxy;
  let h: GatewayHarness;
  const model = uniqueModelName('gw-outage');

  beforeAll(async () => {
    const s3 = localS3('admin');
    minio = await TcpProxy.start({ host: s3.endPoint, port: s3.port });
    h = await GatewayHarness.start({ MLOPS_S3_ENDPOINT: `http://127.0.0.1:${minio.port}` });
    const v1 = await h.upload(model, 1);
    await h.deploy({ modelName: model, revision: 1, champion: v1, challenger: null });
    await h.waitForRevision(model, 1);
  });

  afterAll(async () => {
    await h?.stop();
    await minio?.cut();
  });

  it('keeps /health/ready at 200 and answers inference, naming s3 as down in the readiness body and metrics', async () => {
    expect((await getJson<Readiness>(`${h.gateway.url}/health/ready`)).status).toBe(200);
    await minio.cut();

    const during = await waitFor('the s3 probe to see the outage', async () => {
      const ready = await getJson<Readiness>(`${h.gateway.url}/health/ready`);
      return ready.body.checks.s3?.status === 'down' ? ready : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({ status: 'ready', servingWithout: ['s3'] });

    const rows = featureRows(2);
    const inferred = await h.inferHttp(`/v2/models/${model}/infer`, { inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 20], data: rows }] });
    expect(inferred.status).toBe(200);
    expect(inferred.body.outputs.map((output) => output.name).sort()).toEqual(['label', 'probabilities']);

    const metrics = await fetch(`${h.gateway.url}/metrics`).then((res) => res.text());
    expect(metrics).toMatch(/mlops_inference_gateway_dependency_up\{dependency="s3"[^}]*\} 0/);
  });
});
