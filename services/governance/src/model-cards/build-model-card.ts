import type { CardMetric, EventData, ModelCard, ModelCardEditableFields } from '@mlops/contracts';
import type { EventHistory } from '../audit-log/event-history';

/** The events a card is generated from. */
export const CARD_TOPICS = [
  'mlops.registry.version-registered',
  'mlops.training.completed',
  'mlops.governance.approval-requested',
  'mlops.governance.approval-decided',
] as const;

/** What people wrote on a card, and who last did. */
export interface CardEdits {
  fields: Partial<ModelCardEditableFields>;
  lastEdit: { by: string; at: string } | null;
}

/** Until people name the owners, the card names the owner the model was registered with. */
export function ownersOfRegistration(owner: string | null): { name: string }[] {
  return owner ? [{ name: owner }] : [];
}

const last = <T>(items: readonly T[]): T | undefined => items[items.length - 1];

/** The registration of a version, if the history holds it. */
export function registrationOf(history: EventHistory, version: number): EventData<'mlops.registry.version-registered'> | undefined {
  return last(history.of('mlops.registry.version-registered').filter((e) => e.data.version === version))?.data;
}

/** The card of one version: generated sections from its events, people's fields from the edits; null if unregistered. */
export function buildModelCard(modelName: string, version: number, history: EventHistory, edits: CardEdits): ModelCard | null {
  const registered = registrationOf(history, version);
  if (!registered) return null;
  const runId = registered.lineage.runId;
  const training = runId ? last(history.of('mlops.training.completed').filter((e) => e.data.runId === runId))?.data : undefined;
  const request = last(history.of('mlops.governance.approval-requested').filter((e) => e.data.version === version))?.data;
  const decision = last(history.of('mlops.governance.approval-decided').filter((e) => e.data.version === version));
  const { fields } = edits;
  return {
    modelDetails: {
      name: modelName,
      version,
      description: fields.description ?? null,
      owners: fields.owners ?? ownersOfRegistration(registered.owner),
      riskTier: registered.riskTier,
      registeredAt: registered.registeredAt,
      license: fields.license ?? null,
      references: fields.references ?? [],
      artifact: registered.artifact,
      lineage: registered.lineage,
    },
    modelParameters: {
      architecture: training?.algorithm ?? registered.signature.producer ?? 'uploaded ONNX model',
      hyperparameters: training?.params ?? {},
      inputs: registered.signature.inputs,
      outputs: registered.signature.outputs,
      trainingData: {
        snapshotId: training?.dataset.snapshotId ?? registered.lineage.datasetSnapshotId,
        sha256: training?.dataset.sha256 ?? registered.lineage.datasetSha256,
        description: fields.trainingDataDescription ?? null,
      },
      evaluationData: { description: fields.evaluationDataDescription ?? null },
    },
    quantitativeAnalysis: {
      metrics: metricsOf(registered.metrics, training?.championMetrics ?? null),
      checks: request?.checks ?? [],
      approval: decision
        ? {
            decision: decision.data.decision,
            decidedBy: decision.data.decidedBy,
            reason: decision.data.reason,
            decidedAt: decision.occurredAt.toISOString(),
          }
        : null,
    },
    considerations: {
      users: fields.users ?? [],
      useCases: fields.useCases ?? [],
      limitations: fields.limitations ?? [],
      tradeoffs: fields.tradeoffs ?? [],
      ethicalConsiderations: fields.ethicalConsiderations ?? [],
    },
    lastEdit: edits.lastEdit,
  };
}

function metricsOf(metrics: Record<string, number>, champion: Record<string, number> | null): CardMetric[] {
  return Object.keys(metrics)
    .sort()
    .map((name) => ({ name, value: metrics[name], championValue: champion?.[name] ?? null }));
}
