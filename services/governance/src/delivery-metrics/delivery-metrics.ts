import type { DeliveryMetrics } from '@mlops/contracts';
import type { DeliveryFacts } from './delivery-facts';

export interface DeliveryWindow {
  from: Date;
  to: Date;
  /** A change whose version degrades within this long of going live has failed. */
  failureWindowMs: number;
}

type Change = DeliveryFacts['deploymentChanges'][number];

/** A champion change: a version put in front of users, or put back (a rollback). */
interface Deployment {
  version: number;
  at: Date;
  rollback: boolean;
}

interface ModelOutcomes {
  deployments: Deployment[];
  leadTimesMs: number[];
  changes: number;
  rolledBack: number;
  degraded: number;
  failed: number;
  restoresMs: number[];
  incidents: number;
}

const DAY_MS = 86_400_000;
const within = (at: Date, window: DeliveryWindow) => at >= window.from && at <= window.to;

/** DORA's four keys for each model that deployed or degraded in the window, and for the platform as a whole. */
export function computeDeliveryMetrics(facts: DeliveryFacts, window: DeliveryWindow): { platform: DeliveryMetrics; models: Map<string, DeliveryMetrics> } {
  const names = new Set([...facts.deploymentChanges.map((c) => c.modelName), ...facts.degradations.map((d) => d.modelName)]);
  const outcomes = new Map([...names].sort().map((name) => [name, outcomesOf(name, facts, window)]));
  const models = new Map([...outcomes].map(([name, outcome]) => [name, metricsOf([outcome], window)]));
  return { platform: metricsOf([...outcomes.values()], window), models };
}

function outcomesOf(modelName: string, facts: DeliveryFacts, window: DeliveryWindow): ModelOutcomes {
  const changes = facts.deploymentChanges.filter((c) => c.modelName === modelName).sort((a, b) => a.revision - b.revision);
  const degradations = facts.degradations.filter((d) => d.modelName === modelName).sort((a, b) => a.at.getTime() - b.at.getTime());
  const all = deploymentsOf(changes);
  const outcome: ModelOutcomes = { deployments: [], leadTimesMs: [], changes: 0, rolledBack: 0, degraded: 0, failed: 0, restoresMs: [], incidents: 0 };
  all.forEach((deployment, i) => {
    if (!within(deployment.at, window)) return;
    outcome.deployments.push(deployment);
    if (deployment.rollback) return;
    outcome.changes++;
    const leadTime = leadTimeMs(modelName, deployment, facts);
    if (leadTime !== null) outcome.leadTimesMs.push(leadTime);
    const rolledBack = all[i + 1]?.rollback === true;
    const degraded = degradations.some(
      (d) => d.version === deployment.version && d.at >= deployment.at && d.at.getTime() - deployment.at.getTime() <= window.failureWindowMs,
    );
    outcome.rolledBack += Number(rolledBack);
    outcome.degraded += Number(degraded);
    outcome.failed += Number(rolledBack || degraded);
  });
  for (const incident of incidentsOf(changes, degradations.filter((d) => within(d.at, window)))) {
    outcome.incidents++;
    if (incident.restoredAt) outcome.restoresMs.push(incident.restoredAt.getTime() - incident.start.getTime());
  }
  return outcome;
}

function deploymentsOf(changes: Change[]): Deployment[] {
  const served = new Set<number>();
  const deployments: Deployment[] = [];
  let champion: number | null = null;
  for (const change of changes) {
    if (change.champion !== null && change.champion !== champion) {
      deployments.push({ version: change.champion, at: change.at, rollback: served.has(change.champion) });
      served.add(change.champion);
    }
    champion = change.champion;
  }
  return deployments;
}

/** From the training request behind the deployed version to its first minute in front of users. */
function leadTimeMs(modelName: string, deployment: Deployment, facts: DeliveryFacts): number | null {
  const runId = facts.registrations.find((r) => r.modelName === modelName && r.version === deployment.version)?.runId;
  const requestId = runId ? facts.trainingRuns.find((run) => run.runId === runId)?.requestId : undefined;
  const requested = requestId ? facts.trainingRequests.find((r) => r.requestId === requestId) : undefined;
  if (!requested) return null;
  const lead = deployment.at.getTime() - requested.at.getTime();
  return lead >= 0 ? lead : null;
}

const serves = (change: Change | undefined, version: number) => change?.champion === version || change?.challenger === version;

/**
 * An incident starts at a degradation of a version that serves, and ends at the first deployment change after
 * which that version serves no more; degradations reported meanwhile belong to the same incident.
 */
function incidentsOf(changes: Change[], degradations: DeliveryFacts['degradations']): { start: Date; restoredAt: Date | null }[] {
  const incidents: { version: number; start: Date; restoredAt: Date | null }[] = [];
  for (const degradation of degradations) {
    const inForce = changes.filter((c) => c.at <= degradation.at).at(-1);
    if (!serves(inForce, degradation.version)) continue;
    const ongoing = incidents.some((i) => i.version === degradation.version && (i.restoredAt === null || i.restoredAt > degradation.at));
    if (ongoing) continue;
    const restore = changes.find((c) => c.at > degradation.at && !serves(c, degradation.version));
    incidents.push({ version: degradation.version, start: degradation.at, restoredAt: restore?.at ?? null });
  }
  return incidents;
}

function metricsOf(outcomes: ModelOutcomes[], window: DeliveryWindow): DeliveryMetrics {
  const sum = (pick: (o: ModelOutcomes) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
  const leadTimes = outcomes.flatMap((o) => o.leadTimesMs);
  const restores = outcomes.flatMap((o) => o.restoresMs);
  const deployments = sum((o) => o.deployments.length);
  const changes = sum((o) => o.changes);
  const failed = sum((o) => o.failed);
  const days = Math.max(window.to.getTime() - window.from.getTime(), 1) / DAY_MS;
  return {
    deployments,
    deploymentsPerDay: deployments / days,
    leadTime: { measured: leadTimes.length, medianSeconds: seconds(median(leadTimes)), meanSeconds: seconds(mean(leadTimes)) },
    changeFailure: { changes, failed, rolledBack: sum((o) => o.rolledBack), degraded: sum((o) => o.degraded), rate: changes ? failed / changes : null },
    timeToRestore: {
      incidents: sum((o) => o.incidents),
      restored: restores.length,
      open: sum((o) => o.incidents) - restores.length,
      medianSeconds: seconds(median(restores)),
    },
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
