// The platform's main job as far as it is built: a trained model's run crosses the platform as events.
// It uploads a scikit-learn ONNX model, announces the run on mlops.training.completed (as the trainer does),
// then shows the registry's new version and governance's audit trail of it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '@mlops/config';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';

const REGISTRY = 'http://127.0.0.1:8084';
const GOVERNANCE = 'http://127.0.0.1:8085';

async function poll<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function main(): Promise<void> {
  const config = loadPlatformConfig('trainer');
  const store = new ObjectStore(config.s3);
  const publisher = new EventPublisher(createKafka({ ...config.kafka, clientId: 'mlops-demo' }));
  const runId = randomUUID();
  const modelName = 'demo-churn';

  const bytes = readFileSync(join(__dirname, '../../test/fixtures/models/sklearn-logreg-20.onnx'));
  const artifact = await store.putBuffer(BUCKETS.artifacts, `runs/${runId}/model.onnx`, bytes);
  console.log(`demo: uploaded ${artifact.uri} (${artifact.sizeBytes} bytes, sha256 ${artifact.sha256.slice(0, 12)}…)`);

  await publisher.connect();
  const event = createEvent('mlops.training.completed', {
    runId, requestId: randomUUID(), modelName, algorithm: 'logistic_regression',
    artifact: { uri: artifact.uri, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes },
    params: { C: 1 }, metrics: { auc: 0.93 }, championMetrics: null,
    dataset: { snapshotId: randomUUID(), sha256: artifact.sha256 },
    referenceProfileUri: `s3://${BUCKETS.reports}/profiles/${runId}.json`,
    codeVersion: 'demo', parentVersion: null, durationMs: 0,
  }, { source: 'trainer' });
  await publisher.publish('mlops.training.completed', event);
  await publisher.disconnect();
  console.log(`demo: published mlops.training.completed for run ${runId}`);

  const version = await poll('the registry to register the run', async () => {
    const res = await fetch(`${REGISTRY}/models/${modelName}/versions?limit=500`);
    const body = (await res.json()) as { items: { version: number; lineage: { runId: string }; signature: unknown }[] };
    return body.items.find((v) => v.lineage.runId === runId);
  });
  console.log(`demo: registry has ${modelName} v${version.version}, signature ${JSON.stringify(version.signature)}`);

  const audit = await poll('governance to audit the new version', async () => {
    const res = await fetch(`${GOVERNANCE}/audit?subject=${modelName}&type=mlops.registry.version-registered.v1&limit=1000`);
    const body = (await res.json()) as { items: { eventId: string; data: { version: number } }[] };
    return body.items.find((e) => e.data.version === version.version);
  });
  console.log(`demo: governance audited version-registered ${audit.eventId} for v${audit.data.version}`);
  console.log('demo: done');
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
