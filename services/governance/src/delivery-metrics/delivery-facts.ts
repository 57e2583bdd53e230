import type { EventHistory } from '../audit-log/event-history';

/** The lifecycle facts DORA's keys are computed from, each taken from one kind of chained event. */
export interface DeliveryFacts {
  trainingRequests: { requestId: string; at: Date }[];
  trainingRuns: { runId: string; requestId: string }[];
  registrations: { modelName: string; version: number; runId: string | null }[];
  deploymentChanges: { modelName: string; revision: number; champion: number | null; challenger: number | null; at: Date }[];
  /** performance-degraded and drift-detected, each about a version. */
  degradations: { modelName: string; version: number; at: Date }[];
}

export const DELIVERY_TOPICS = [
  'mlops.training.requested',
  'mlops.training.completed',
  'mlops.registry.version-registered',
  'mlops.registry.deployment-changed',
  'mlops.monitor.performance-degraded',
  'mlops.monitor.drift-detected',
] as const;

export function deliveryFactsOf(history: EventHistory): DeliveryFacts {
  return {
    trainingRequests: history.of('mlops.training.requested').map((e) => ({ requestId: e.data.requestId, at: e.occurredAt })),
    trainingRuns: history.of('mlops.training.completed').map((e) => ({ runId: e.data.runId, requestId: e.data.requestId })),
    registrations: history
      .of('mlops.registry.version-registered')
      .map((e) => ({ modelName: e.data.modelName, version: e.data.version, runId: e.data.lineage.runId })),
    deploymentChanges: history.of('mlops.registry.deployment-changed').map((e) => ({
      modelName: e.data.modelName,
      revision: e.data.revision,
      champion: e.data.champion?.version ?? null,
      challenger: e.data.challenger?.version ?? null,
      at: new Date(e.data.effectiveFrom),
    })),
    degradations: [...history.of('mlops.monitor.performance-degraded'), ...history.of('mlops.monitor.drift-detected')].map((e) => ({
      modelName: e.data.modelName,
      version: e.data.version,
      at: e.occurredAt,
    })),
  };
}
