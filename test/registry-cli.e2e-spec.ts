import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { getJson, REPO_ROOT, ServiceProcess, waitFor } from '@mlops/testing';
import { runMlops } from './fixtures/mlops-cli';
import { localKafkaConnection } from '@mlops/config';

const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', 'e2e-registry-cli')));
const model = `e2e-cli-${randomUUID().slice(0, 8)}`;
const fixture = (file: string) => join(REPO_ROOT, 'test/fixtures/models', file);

describe('mlops models / deploy / history against a real registry', () => {
  let registry: ServiceProcess;

  const mlops = (...args: string[]) => runMlops({ MLOPS_REGISTRY_URL: registry.url }, args);

  beforeAll(async () => {
    registry = await ServiceProcess.start('registry');
    await registry.waitUntilReady();
    await publisher.connect();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await registry?.stop();
  });

  it('registers, refuses an unapproved deploy with exit 4, deploys once approved, and shows the history', async () => {
    const registered = await mlops('--json', 'models', 'register', '--name', model, '--file', fixture('sklearn-logreg-20.onnx'));
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({ version: 1, signature: { inputs: [{ name: 'X', shape: [null, 20] }] } });

    const shown = await mlops('models', 'show', model);
    expect(shown.stdout).toMatch(/^1\s+READY\s+pending/m);

    const refused = await mlops('deploy', model, '--champion', '1');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('approval status is pending');

    const decided = createEvent(
      'mlops.governance.approval-decided',
      { approvalId: randomUUID(), modelName: model, version: 1, decision: 'approved', automatic: true, decidedBy: ['policy'], reason: 'ok' },
      { source: 'governance' },
    );
    await publisher.publish('mlops.governance.approval-decided', decided);
    await waitFor('approval applied', async () => {
      const res = await getJson<{ approvalStatus: string }>(`${registry.url}/models/${model}/versions/1`);
      return res.body.approvalStatus === 'approved' ? true : undefined;
    });

    const deployed = await mlops('deploy', model, '--champion', '1', '--reason', 'first release');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toContain(`deployed ${model} revision 1: champion v1`);

    const history = await mlops('--json', 'history', model);
    const entries = JSON.parse(history.stdout).items as { revision: number; changedBy: string; reason: string; validTo: null }[];
    expect(entries).toEqual([expect.objectContaining({ revision: 1, changedBy: 'test-admin', reason: 'first release', validTo: null })]);
  });

  it('exits with clear codes on bad input', async () => {
    const notModel = await mlops('models', 'register', '--name', model, '--file', join(REPO_ROOT, 'package.json'));
    expect(notModel.code).toBe(4);
    expect(notModel.stderr).toContain('not a valid ONNX model');
    expect((await mlops('models', 'register', '--name', model, '--file', '/no/such/file.onnx')).code).toBe(2);
    expect((await mlops('models', 'show', 'no-such-model-anywhere')).code).toBe(3);
    const badTime = await mlops('history', model, '--at', 'yesterday');
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('query.at');
  });
});
