import type { ApprovalEvidence, AuditCitation, ServedAtResponse, ServedVersionEvidence, TrainingEvidence } from '@mlops/contracts';
import type { EventHistory, RecordedEvent } from '../audit-log/event-history';

/** The topics "what served at T" is answered from. */
export const SERVED_AT_TOPICS = [
  'mlops.registry.deployment-changed',
  'mlops.registry.version-registered',
  'mlops.training.requested',
  'mlops.training.completed',
  'mlops.governance.approval-requested',
  'mlops.governance.approval-decided',
] as const;

const last = <T>(items: readonly T[]): T | undefined => items[items.length - 1];

/** What served a model at `at`, who approved it and on which evidence; null when nothing served it then. */
export function servedAt(modelName: string, history: EventHistory, at: Date): ServedAtResponse | null {
  const deployment = history
    .of('mlops.registry.deployment-changed')
    .filter((event) => new Date(event.data.effectiveFrom) <= at)
    .reduce<RecordedEvent<'mlops.registry.deployment-changed'> | undefined>(
      (latest, event) => (!latest || event.data.revision > latest.data.revision ? event : latest),
      undefined,
    );
  if (!deployment) return null;
  const citations: AuditCitation[] = [deployment.citation];
  const { champion, challenger } = deployment.data;
  const challengerEvidence = challenger ? versionEvidence(history, challenger, at, citations) : null;
  return {
    modelName,
    at: at.toISOString(),
    deployment: {
      revision: deployment.data.revision,
      effectiveFrom: deployment.data.effectiveFrom,
      changedBy: deployment.data.changedBy,
      reason: deployment.data.reason,
    },
    champion: champion ? versionEvidence(history, champion, at, citations) : null,
    challenger:
      challenger && challengerEvidence
        ? { ...challengerEvidence, mode: challenger.mode, weight: challenger.mode === 'shadow' ? null : challenger.weight }
        : null,
    citations: citations.sort((a, b) => a.seq - b.seq),
  };
}

function versionEvidence(
  history: EventHistory,
  served: { version: number; artifact: ServedVersionEvidence['artifact'] },
  at: Date,
  citations: AuditCitation[],
): ServedVersionEvidence {
  const registered = last(history.of('mlops.registry.version-registered').filter((event) => event.data.version === served.version));
  if (registered) citations.push(registered.citation);
  return {
    version: served.version,
    artifact: served.artifact,
    registeredAt: registered?.data.registeredAt ?? null,
    riskTier: registered?.data.riskTier ?? null,
    metrics: registered?.data.metrics ?? {},
    lineage: registered?.data.lineage ?? null,
    training: trainingEvidence(history, registered?.data.lineage.runId ?? null, citations),
    approval: approvalEvidence(history, served.version, at, citations),
  };
}

function trainingEvidence(history: EventHistory, runId: string | null, citations: AuditCitation[]): TrainingEvidence | null {
  if (!runId) return null;
  const completed = last(history.of('mlops.training.completed').filter((event) => event.data.runId === runId));
  if (!completed) return null;
  const requested = last(history.of('mlops.training.requested').filter((event) => event.data.requestId === completed.data.requestId));
  citations.push(completed.citation, ...(requested ? [requested.citation] : []));
  return {
    runId,
    requestId: completed.data.requestId,
    requestedBy: requested?.data.requestedBy ?? null,
    algorithm: completed.data.algorithm,
    datasetSnapshotId: completed.data.dataset.snapshotId,
    datasetSha256: completed.data.dataset.sha256,
    codeVersion: completed.data.codeVersion,
    metrics: completed.data.metrics,
    championMetrics: completed.data.championMetrics,
  };
}

/** The decision in force at `at` (the last recorded by then) with the request and checks it answered. */
function approvalEvidence(history: EventHistory, version: number, at: Date, citations: AuditCitation[]): ApprovalEvidence | null {
  const decided = last(history.of('mlops.governance.approval-decided').filter((e) => e.data.version === version && e.occurredAt <= at));
  const requests = history.of('mlops.governance.approval-requested').filter((e) => e.data.version === version && e.occurredAt <= at);
  const requested = decided ? requests.find((e) => e.data.approvalId === decided.data.approvalId) : last(requests);
  const answered = decided ?? requested;
  if (!answered) return null;
  citations.push(...[requested, decided].flatMap((event) => (event ? [event.citation] : [])));
  return {
    approvalId: answered.data.approvalId,
    decision: decided?.data.decision ?? null,
    automatic: decided?.data.automatic ?? null,
    decidedBy: decided?.data.decidedBy ?? [],
    reason: decided?.data.reason ?? null,
    decidedAt: decided?.occurredAt.toISOString() ?? null,
    requestedBy: requested?.data.requestedBy ?? null,
    riskTier: requested?.data.riskTier ?? null,
    requiredApprovals: requested?.data.requiredApprovals ?? null,
    checks: requested?.data.checks ?? [],
  };
}
