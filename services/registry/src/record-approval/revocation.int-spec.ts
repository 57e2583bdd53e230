import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials } from '@mlops/config';
import { createEvent, decodeEvent, EventInput } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { openMigratedDataSource } from '@mlops/service-kit';
import { ApplyRolloutDecision } from '../apply-rollout-decision/apply-rollout-decision.use-case';
import { DeployModel } from '../deploy-model/deploy-model.use-case';
import type { DeploymentRequest, DeploymentSpec } from '@mlops/contracts';
import { DeploymentRepository } from '../deployments/deployment.repository';
import { RegisteredModelRepository } from '../models/registered-model.repository';
import { ModelVersionRepository } from '../model-versions/model-version.repository';
import { registryMigrations } from '../migrations';
import { RecordApproval } from './record-approval.use-case';
import { WithdrawRevokedVersion } from './withdraw-revoked-version';

// The registry's use cases on its real schema, fed the events governance publishes: a revoked approval and a
// rollout decision each change what serves, with the deployment-changed event in the same transaction.
describe('revocations and rollout decisions (real Postgres)', () => {
  let dataSource: DataSource;
  let versions: ModelVersionRepository;
  let deployments: DeploymentRepository;
  let deployModel: DeployModel;
  let recordApproval: RecordApproval;
  let applyRollout: ApplyRolloutDecision;

  beforeAll(async () => {
    dataSource = await openMigratedDataSource(loadPlatformConfig('registry', localCredentials('registry')), registryMigrations);
    const models = new RegisteredModelRepository(dataSource);
    versions = new ModelVersionRepository(dataSource);
    deployments = new DeploymentRepository(dataSource);
    deployModel = new DeployModel(dataSource, models, versions, deployments, new OutboxWriter('registry'));
    recordApproval = new RecordApproval(dataSource, versions, new WithdrawRevokedVersion(deployments, deployModel));
    applyRollout = new ApplyRolloutDecision(dataSource, models, deployments, deployModel, new JsonLogger({ service: 'registry', level: 'fatal' }));
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** A model with `count` READY versions, each approved by governance. */
  async function approvedModel(count: number): Promise<string> {
    const name = `reg-revoke-${randomUUID().slice(0, 8)}`;
    await new RegisteredModelRepository(dataSource).create({ name, owner: 'team-int', description: '', riskTier: 'limited', tags: {} });
    for (let i = 1; i <= count; i++) {
      await dataSource.transaction(async (manager) => {
        await versions.lockModel(manager, name, 'team-int');
        await versions.insertNext(manager, {
          modelName: name,
          status: 'READY',
          artifact: { uri: `s3://mlops-artifacts/models/${name}/${i}/model.onnx`, sha256: 'c'.repeat(64), sizeBytes: 1 },
          signature: { inputs: [], outputs: [] },
          params: {},
          metrics: {},
          referenceProfileUri: null,
          tags: {},
          registeredBy: null,
          lineage: { runId: null, datasetSnapshotId: null, datasetSha256: null, codeVersion: null, parentVersion: null },
        });
      });
      await decide(name, i, 'approved');
    }
    return name;
  }

  const decide = (modelName: string, version: number, decision: EventInput<'mlops.governance.approval-decided'>['decision']) =>
    recordApproval.execute(
      createEvent(
        'mlops.governance.approval-decided',
        { approvalId: randomUUID(), modelName, version, decision, automatic: false, decidedBy: ['carol'], reason: 'found a leak' },
        { source: 'governance' },
      ),
    );

  const deploy = (modelName: string, request: Omit<DeploymentRequest, 'changedBy' | 'reason'>) =>
    deployModel.execute(modelName, { ...request, changedBy: 'int-spec', reason: 'release' });

  const serving = async (modelName: string) => {
    const spec = (await deployments.currentOf(dataSource.manager, modelName)) as DeploymentSpec;
    return { champion: spec.champion?.version ?? null, challenger: spec.challenger?.version ?? null, revision: spec.revision, reason: spec.reason };
  };

  /** The deployment-changed events in the registry's outbox for the model, oldest first. */
  async function announced(modelName: string) {
    const rows: { payload: Buffer }[] = await dataSource.query(
      `SELECT payload FROM registry.outbox WHERE topic = 'mlops.registry.deployment-changed' AND message_key = $1 ORDER BY seq`,
      [modelName],
    );
    return rows.map((row) => {
      const decoded = decodeEvent('mlops.registry.deployment-changed', row.payload);
      if (!decoded.ok) throw new Error(decoded.error);
      return decoded.event.data;
    });
  }

  it('rolls a revoked champion back to the last champion still approved and announces it', async () => {
    const model = await approvedModel(3);
    await deploy(model, { champion: 1, challenger: null });
    await deploy(model, { champion: 2, challenger: null });
    await deploy(model, { champion: 3, challenger: { version: 2, mode: 'shadow' } });
    await decide(model, 2, 'revoked');
    expect(await serving(model)).toMatchObject({ champion: 3, challenger: null, reason: 'approval of v2 revoked: found a leak; challenger withdrawn' });
    await decide(model, 3, 'revoked');
    expect(await serving(model)).toMatchObject({ champion: 1, challenger: null, revision: 5 });
    const last = (await announced(model)).at(-1);
    expect(last).toMatchObject({ revision: 5, champion: { version: 1 }, challenger: null, changedBy: 'governance (carol)' });
    expect(last?.reason).toBe('approval of v3 revoked: found a leak; back to v1, the last approved champion');
    expect((await versions.find(model, 3))?.approvalStatus).toBe('revoked');
    await expect(deploy(model, { champion: 3, challenger: null })).rejects.toThrow(/approval status is revoked/);
  });

  it('stops serving when no approved champion is left to fall back to, and leaves versions not serving alone', async () => {
    const model = await approvedModel(2);
    await deploy(model, { champion: 1, challenger: null });
    await decide(model, 2, 'revoked');
    expect((await announced(model)).length).toBe(1);
    await decide(model, 1, 'revoked');
    expect(await serving(model)).toMatchObject({ champion: null, challenger: null, reason: 'approval of v1 revoked: found a leak; no approved champion to fall back to' });
  });

  it('applies a rollout decision to the deployment it judged, and leaves a changed deployment alone', async () => {
    const model = await approvedModel(3);
    await deploy(model, { champion: 1, challenger: { version: 2, mode: 'canary', weight: 0.1 } });
    const rollout = (action: 'promote' | 'rollback', championVersion: number, challengerVersion: number) =>
      createEvent(
        'mlops.governance.rollout-decided',
        { decisionId: randomUUID(), modelName: model, action, championVersion, challengerVersion, automatic: true, decidedBy: ['policy'], reason: 'verdict' },
        { source: 'governance' },
      );
    const promote = rollout('promote', 1, 2);
    expect(await applyRollout.execute(promote)).toBe(true);
    expect(await applyRollout.execute(promote)).toBe(false);
    expect(await serving(model)).toMatchObject({ champion: 2, challenger: null, reason: 'rollout promote of v2: verdict' });
    await applyRollout.execute(rollout('rollback', 1, 2));
    expect(await serving(model)).toMatchObject({ champion: 2, challenger: null, revision: 2 });
    await deploy(model, { champion: 2, challenger: { version: 3, mode: 'ab', stickyKey: 'customer_id', weight: 0.5 } });
    await applyRollout.execute(rollout('rollback', 2, 3));
    expect(await serving(model)).toMatchObject({ champion: 2, challenger: null, revision: 4 });
  });
});
