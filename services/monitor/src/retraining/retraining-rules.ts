import type { MonitoringPolicy } from '@mlops/contracts';

export interface RetrainingFacts {
  kind: 'drift' | 'performance';
  now: Date;
  hasRecipe: boolean;
  /** When the monitor last asked for a retraining of this model, if ever. */
  lastRequestedAt: Date | null;
  /** Retrainings the monitor asked for in the 24 hours before now. */
  requestedLastDay: number;
  /** Training requests of the model that have neither completed nor failed. */
  runsInProgress: number;
}

export type RetrainingRuling = { decision: 'requested'; reason: string } | { decision: 'suppressed'; reason: string };

/** The policy's rules, in the order an operator reads them; the first that holds a request back names itself. */
export function ruleOnRetraining(policy: MonitoringPolicy['retraining'], facts: RetrainingFacts): RetrainingRuling {
  if (!policy.enabled) return { decision: 'suppressed', reason: 'retraining is not enabled in the model policy' };
  if (!policy.on.includes(facts.kind)) return { decision: 'suppressed', reason: `the policy retrains on ${policy.on.join(' and ')}, not on ${facts.kind}` };
  if (!facts.hasRecipe) return { decision: 'suppressed', reason: 'no training request for this model has been seen, so there is no recipe to repeat' };
  if (facts.runsInProgress > 0) return { decision: 'suppressed', reason: `${facts.runsInProgress} training request(s) of this model have not finished yet` };
  if (facts.lastRequestedAt && facts.now.getTime() - facts.lastRequestedAt.getTime() < policy.cooldownSeconds * 1000) {
    return { decision: 'suppressed', reason: `in cooldown: the last retraining was requested at ${facts.lastRequestedAt.toISOString()}, cooldown ${policy.cooldownSeconds} s` };
  }
  if (facts.requestedLastDay >= policy.maxPerDay) return { decision: 'suppressed', reason: `daily limit reached: ${facts.requestedLastDay} of ${policy.maxPerDay} retraining(s) in the last 24 hours` };
  return { decision: 'requested', reason: `${facts.kind} detected and every rule of the policy allows a retraining` };
}
