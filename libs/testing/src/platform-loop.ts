import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localKafkaConnection, localS3 } from '@mlops/config';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { getJson, postJson, sendJson } from './http-json';
import { PlatformStack } from './platform-stack';
import { REPO_ROOT } from './service-process';
import { waitFor } from './wait-for';

/** A logistic regression over 20 float inputs (input `X`): small enough that the loop, not the model, is measured. */
export const LOOP_MODEL_INPUTS = 20;
const LOOP_MODEL_FILE = join(REPO_ROOT, 'test', 'fixtures', 'models', 'sklearn-logreg-20.onnx');

/**
 * Drives the platform's own lifecycle for load and fault runs: versions arrive as the trainer would publish them,
 * governance approves them by policy (minimal risk), the registry deploys the champion and the gateway loads it.
 */
export class PlatformLoop {
  readonly publisher: EventPublisher;
  private readonly store = new ObjectStore(localS3('admin'));
  private readonly model = readFileSync(LOOP_MODEL_FILE);

  constructor(
    private readonly stack: PlatformStack,
    readonly modelName: string,
  ) {
    this.publisher = new EventPublisher(createKafka(localKafkaConnection('admin', `platform-loop-${randomUUID().slice(0, 8)}`)));
  }

  /** Registers the model, has version 1 approved and deployed as champion, and waits for the gateway to serve it. */
  async deployChampion(windowRows: number): Promise<void> {
    await this.store.ensureBuckets(Object.values(BUCKETS));
    await this.publisher.connect();
    const registry = this.stack.url('registry');
    const created = await postJson(`${registry}/models`, { name: this.modelName, owner: 'platform-loop', riskTier: 'minimal' });
    if (created.status !== 201) throw new Error(`registering ${this.modelName}: ${created.status} ${JSON.stringify(created.body)}`);
    const policy = await sendJson('PUT', `${this.stack.url('monitor')}/models/${this.modelName}/policy`, { window: { maxRows: windowRows } });
    if (policy.status !== 200) throw new Error(`monitor policy: ${policy.status} ${JSON.stringify(policy.body)}`);
    const runId = await this.publishTrainedVersion();
    const version = await waitFor('version 1 registered', () => this.versionOf(runId), { timeoutMs: 120_000 });
    await waitFor('version 1 approved by policy', async () => {
      const res = await getJson<{ approvalStatus: string }>(`${registry}/models/${this.modelName}/versions/${version}`);
      if (res.body.approvalStatus === 'approved') return true;
      throw new Error(`registry says ${res.body.approvalStatus}; governance: ${JSON.stringify((await getJson(`${this.stack.url('governance')}/approvals/${this.modelName}/${version}`)).body)}`);
    }, { timeoutMs: 120_000 });
    const deployed = await postJson(`${registry}/models/${this.modelName}/deployments`, { champion: version, changedBy: 'platform-loop', reason: 'champion for the run' });
    if (deployed.status >= 300) throw new Error(`deploying ${this.modelName}: ${deployed.status} ${JSON.stringify(deployed.body)}`);
    const gateway = this.stack.url('inference-gateway');
    await waitFor('the gateway serving the champion', async () => {
      if ((await getJson(`${gateway}/v2/models/${this.modelName}/ready`)).status === 200) return true;
      throw new Error(`gateway: ${JSON.stringify((await getJson(`${gateway}/v2/health/ready`)).body)}; ${this.stack.process('inference-gateway').logs().slice(-1500)}`);
    }, { timeoutMs: 120_000 });
  }

  /**
   * A feature view over its own source topic (which the feature store creates): `amount` (float64) and `visits`
   * (int64) per `entity_id`. Returns the topic.
   */
  async applyFeatureView(view: string): Promise<string> {
    const entity = `${view}_entity`;
    const topic = `${view}.src`;
    const applied = await postJson(`${this.stack.url('feature-store')}/apply`, {
      entities: [{ name: entity, joinKeys: [{ name: 'entity_id', type: 'int64' }] }],
      featureViews: [{
        name: view, entities: [entity], source: { topic, eventTimeField: 'at' },
        schema: [{ name: 'amount', type: 'float64' }, { name: 'visits', type: 'int64' }], ttlSeconds: 86_400, owner: 'platform-loop',
      }],
    });
    if (applied.status !== 200) throw new Error(`applying feature view ${view}: ${applied.status} ${JSON.stringify(applied.body)}`);
    return topic;
  }

  /** Publishes training.requested and training.completed for a new run of the model, as the trainer does; returns the run id. */
  async publishTrainedVersion(): Promise<string> {
    const runId = randomUUID();
    const requestId = randomUUID();
    // Under models/, not runs/ where the trainer writes: the registry keeps the URI it is given, and the gateway's
    // storage user may read models/ only.
    const artifact = await this.store.putBuffer(BUCKETS.artifacts, `models/${this.modelName}/runs/${runId}/model.onnx`, this.model);
    const requested = createEvent(
      'mlops.training.requested',
      { requestId, modelName: this.modelName, featureRefs: ['loop:x'], labelSource: { kind: 'feature', featureRef: 'loop:y' }, algorithm: 'logistic_regression', requestedBy: 'platform-loop' },
      { source: 'monitor' },
    );
    const completed = createEvent(
      'mlops.training.completed',
      {
        runId, requestId, modelName: this.modelName, algorithm: 'logistic_regression',
        artifact: { uri: artifact.uri, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes },
        params: {}, metrics: { auc: 0.91 }, championMetrics: null,
        dataset: { snapshotId: randomUUID(), sha256: artifact.sha256 },
        referenceProfileUri: `s3://${BUCKETS.reports}/profiles/${runId}.json`, codeVersion: 'platform-loop', parentVersion: null, durationMs: 1,
      },
      { source: 'trainer' },
    );
    await this.publisher.publish('mlops.training.requested', requested);
    await this.publisher.publish('mlops.training.completed', completed);
    return runId;
  }

  /** The version the registry gave a run, once it has one. */
  async versionOf(runId: string): Promise<number | undefined> {
    return (await this.versions()).find((v) => v.runId === runId)?.version;
  }

  async versions(): Promise<{ version: number; runId: string | null }[]> {
    const res = await getJson<{ items?: { version: number; lineage: { runId: string | null } }[] }>(`${this.stack.url('registry')}/models/${this.modelName}/versions?limit=500`);
    return (res.body.items ?? []).map((v) => ({ version: v.version, runId: v.lineage.runId }));
  }

  async close(): Promise<void> {
    await this.publisher.disconnect();
  }
}
