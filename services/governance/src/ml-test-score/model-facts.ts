import type { EventData } from '@mlops/contracts';
import type { EventHistory } from '../audit-log/event-history';

type Check = EventData<'mlops.governance.approval-requested'>['checks'][number];

/** What the platform's own records show about a model, as far as the ML Test Score asks. */
export interface ModelFacts {
  /** The version assessed: the serving champion, or else the latest registered; null before any. */
  version: number | null;
  /** Trained on a snapshot of feature views, whose records were each validated against the view's schema. */
  trainedOnFeatureViews: boolean;
  /** Run, dataset hash and code version on record: the seeded trainer reproduces the model from them. */
  reproducible: boolean;
  /** People who approved the version (an automatic approval is no review). */
  reviewedBy: string[];
  /** Checks run on the version before it could be approved. */
  checks: Check[];
  approved: boolean;
  /** Served as a challenger (canary, shadow or A/B) before it became champion. */
  canaried: boolean;
  /** Another version served as champion before: there is something to roll back to. */
  rollbackTarget: boolean;
  hasReferenceProfile: boolean;
  /** A training request for the model came from the monitor or a schedule rather than a person. */
  retrainedAutomatically: boolean;
  predictionsLogged: number;
  labelsObserved: number;
}

export const FACT_TOPICS = [
  'mlops.training.requested',
  'mlops.training.completed',
  'mlops.registry.version-registered',
  'mlops.registry.deployment-changed',
  'mlops.governance.approval-requested',
  'mlops.governance.approval-decided',
] as const;

const AUTOMATIC_REQUESTERS = new Set(['/mlops/monitor', '/mlops/trainer']);

export function modelFactsOf(history: EventHistory, counts: { predictionsLogged: number; labelsObserved: number }): ModelFacts {
  const deployments = history.of('mlops.registry.deployment-changed').sort((a, b) => a.data.revision - b.data.revision);
  const registrations = history.of('mlops.registry.version-registered');
  const version = deployments.at(-1)?.data.champion?.version ?? registrations.at(-1)?.data.version ?? null;
  const registered = registrations.filter((e) => e.data.version === version).at(-1)?.data;
  const runId = registered?.lineage.runId ?? null;
  const run = history.of('mlops.training.completed').find((e) => e.data.runId === runId)?.data;
  const request = history.of('mlops.training.requested').find((e) => e.data.requestId === run?.requestId)?.data;
  const decisions = history.of('mlops.governance.approval-decided').filter((e) => e.data.version === version);
  const lastDecision = decisions.at(-1)?.data;
  const firstAsChampion = deployments.findIndex((e) => e.data.champion?.version === version);
  const beforeChampion = firstAsChampion < 0 ? deployments : deployments.slice(0, firstAsChampion);
  return {
    version,
    trainedOnFeatureViews: Boolean(request && request.featureRefs.length > 0 && run),
    reproducible: Boolean(runId && registered?.lineage.datasetSha256 && registered.lineage.codeVersion),
    reviewedBy: lastDecision?.decision === 'approved' && !lastDecision.automatic ? lastDecision.decidedBy : [],
    checks: history.of('mlops.governance.approval-requested').filter((e) => e.data.version === version).at(-1)?.data.checks ?? [],
    approved: lastDecision?.decision === 'approved',
    canaried: beforeChampion.some((e) => e.data.challenger?.version === version),
    rollbackTarget: deployments.some((e) => e.data.champion !== null && e.data.champion.version !== version),
    hasReferenceProfile: Boolean(registered?.referenceProfileUri),
    retrainedAutomatically: history.of('mlops.training.requested').some((e) => AUTOMATIC_REQUESTERS.has(e.source)),
    ...counts,
  };
}
