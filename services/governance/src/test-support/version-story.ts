import { randomUUID } from 'node:crypto';
import type { EventData, PlatformEvent } from '@mlops/contracts';
import { platformEvent } from './governance-harness';

export interface StoryOptions {
  requestedBy?: string;
  owner?: string;
  riskTier?: EventData<'mlops.registry.version-registered'>['riskTier'];
  metrics?: Record<string, number>;
  championMetrics?: Record<string, number> | null;
  parentVersion?: number | null;
  inputColumns?: number;
}

const SHA = 'b'.repeat(64);

/** The three events a trained version produces on its way to governance: requested, completed, registered. */
export function trainedVersion(modelName: string, version: number, options: StoryOptions = {}) {
  const requestId = randomUUID();
  const runId = randomUUID();
  const metrics = options.metrics ?? { auc: 0.9 };
  const requested = platformEvent('mlops.training.requested', {
    requestId,
    modelName,
    featureRefs: ['usage:minutes'],
    labelSource: { kind: 'feature', featureRef: 'usage:churned' },
    algorithm: 'gbdt_classifier',
    requestedBy: options.requestedBy ?? 'alice',
  });
  const completed = platformEvent('mlops.training.completed', {
    runId,
    requestId,
    modelName,
    algorithm: 'gbdt_classifier',
    artifact: { uri: `s3://mlops-artifacts/${modelName}/runs/${runId}/model.onnx`, sha256: SHA, sizeBytes: 10 },
    params: {},
    metrics,
    championMetrics: options.championMetrics ?? null,
    dataset: { snapshotId: randomUUID(), sha256: SHA },
    referenceProfileUri: `s3://mlops-artifacts/${modelName}/runs/${runId}/reference-profile.json`,
    codeVersion: 'int-spec',
    parentVersion: options.parentVersion ?? null,
    durationMs: 1,
  });
  const registered: PlatformEvent<'mlops.registry.version-registered'> = platformEvent('mlops.registry.version-registered', {
    modelName,
    version,
    riskTier: options.riskTier ?? 'limited',
    artifact: { uri: `s3://mlops-artifacts/models/${modelName}/${version}/model.onnx`, sha256: SHA, sizeBytes: 10 },
    signature: {
      inputs: [{ name: 'features', elementType: 'float32', shape: [null, options.inputColumns ?? 1] }],
      outputs: [{ name: 'probabilities', elementType: 'float32', shape: [null, 2] }],
    },
    metrics,
    referenceProfileUri: null,
    lineage: { runId, datasetSnapshotId: randomUUID(), datasetSha256: SHA, codeVersion: 'int-spec', parentVersion: options.parentVersion ?? null },
    registeredAt: new Date().toISOString(),
    owner: options.owner ?? 'team-growth',
  });
  return { requested, completed, registered };
}
