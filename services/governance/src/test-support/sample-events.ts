// Event data as the platform's producers write it, for the specs of what governance builds from the chain.
import { randomUUID } from 'node:crypto';
import type { EventInput } from '@mlops/contracts';

const SHA = (char: string) => char.repeat(64);

export function trainingRequested(modelName: string, requestId = randomUUID()): EventInput<'mlops.training.requested'> {
  return {
    requestId,
    modelName,
    featureRefs: ['usage:minutes'],
    labelSource: { kind: 'feature', featureRef: 'usage:churned' },
    algorithm: 'gbdt_classifier',
    requestedBy: 'dana',
  };
}

export function trainingCompleted(modelName: string, requestId: string, runId = randomUUID()): EventInput<'mlops.training.completed'> {
  return {
    runId,
    requestId,
    modelName,
    algorithm: 'gbdt_classifier',
    artifact: { uri: `s3://mlops-artifacts/runs/${runId}/model.onnx`, sha256: SHA('a'), sizeBytes: 1234 },
    params: { learningRate: 0.1, trees: 50 },
    metrics: { auc: 0.91, accuracy: 0.87 },
    championMetrics: { auc: 0.89, accuracy: 0.86 },
    dataset: { snapshotId: randomUUID(), sha256: SHA('d') },
    referenceProfileUri: `s3://mlops-reports/profiles/${runId}.json`,
    codeVersion: 'trainer@1.0.0',
    parentVersion: null,
    durationMs: 1500,
  };
}

export function versionRegistered(
  modelName: string,
  version: number,
  options: { runId?: string | null; riskTier?: 'minimal' | 'limited' | 'high'; registeredAt?: Date } = {},
): EventInput<'mlops.registry.version-registered'> {
  return {
    modelName,
    version,
    riskTier: options.riskTier ?? 'limited',
    artifact: { uri: `s3://mlops-artifacts/models/${modelName}/${version}/model.onnx`, sha256: SHA('b'), sizeBytes: 1234 },
    signature: { inputs: [{ name: 'features', elementType: 'float32', shape: [null, 2] }], outputs: [{ name: 'probability', elementType: 'float32', shape: [null] }] },
    metrics: { auc: 0.91, accuracy: 0.87 },
    referenceProfileUri: options.runId ? `s3://mlops-reports/profiles/${options.runId}.json` : null,
    lineage: { runId: options.runId ?? null, datasetSnapshotId: null, datasetSha256: options.runId ? SHA('d') : null, codeVersion: 'trainer@1.0.0', parentVersion: null },
    registeredAt: (options.registeredAt ?? new Date()).toISOString(),
  };
}

export function approvalRequested(modelName: string, version: number, approvalId = randomUUID()): EventInput<'mlops.governance.approval-requested'> {
  return {
    approvalId,
    modelName,
    version,
    riskTier: 'limited',
    requiredApprovals: 1,
    checks: [
      { name: 'metric-floor', passed: true, detail: 'auc 0.91 >= 0.8' },
      { name: 'no-regression', passed: true, detail: 'auc 0.91 >= champion 0.89 on the same holdout' },
    ],
    requestedBy: 'dana',
  };
}

export function approvalDecided(
  modelName: string,
  version: number,
  approvalId: string,
  decision: 'approved' | 'rejected' = 'approved',
): EventInput<'mlops.governance.approval-decided'> {
  return { approvalId, modelName, version, decision, automatic: false, decidedBy: ['erin'], reason: 'holdout and card reviewed' };
}

export function deploymentChanged(
  modelName: string,
  revision: number,
  champion: number | null,
  effectiveFrom: Date,
  challenger?: { version: number; mode: 'canary'; weight: number },
): EventInput<'mlops.registry.deployment-changed'> {
  const served = (version: number) => ({ version, artifact: { uri: `s3://mlops-artifacts/models/${modelName}/${version}/model.onnx`, sha256: SHA('b'), sizeBytes: 1234 } });
  return {
    modelName,
    revision,
    champion: champion === null ? null : served(champion),
    challenger: challenger ? { ...served(challenger.version), mode: challenger.mode, weight: challenger.weight } : null,
    changedBy: 'ops',
    reason: `revision ${revision}`,
    effectiveFrom: effectiveFrom.toISOString(),
  };
}

export function performanceDegraded(modelName: string, version: number, at: Date): EventInput<'mlops.monitor.performance-degraded'> {
  return {
    modelName,
    version,
    metric: 'auc',
    value: 0.7,
    baseline: 0.9,
    threshold: 0.05,
    window: { from: new Date(at.getTime() - 3600_000).toISOString(), to: at.toISOString() },
  };
}

export function predictionLogged(modelName: string, requestId = randomUUID()): EventInput<'mlops.predictions.logged'> {
  return {
    requestId,
    modelName,
    version: 1,
    role: 'champion',
    inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 2], data: [0.1, 0.2] }],
    outputs: [{ name: 'probability', datatype: 'FP32', shape: [1], data: [0.7] }],
    latencyMs: 1.5,
    timestamp: new Date().toISOString(),
  };
}
