import type { EventData, ModelSignature } from '@mlops/contracts';

/** A registered version as governance learned it from `version-registered`. */
export interface VersionFacts {
  modelName: string;
  version: number;
  /** The tier the model's owner declared in the registry; a policy, once applied, overrides it. */
  riskTier: 'minimal' | 'limited' | 'high';
  owner: string | null;
  registeredBy: string | null;
  signature: ModelSignature;
  metrics: Record<string, number>;
  runId: string | null;
  datasetSha256: string | null;
  registeredAt: string;
}

export type GroupMetrics = EventData<'mlops.training.completed'>['groupMetrics'][number];

/** A finished training run as `training.completed` reported it: its holdout, its champion's, and per group. */
export interface RunFacts {
  runId: string;
  requestId: string;
  metrics: Record<string, number>;
  championMetrics: Record<string, number> | null;
  parentVersion: number | null;
  groupMetrics: GroupMetrics[];
}

/** The champion serving a model now, with its signature when governance saw it registered. */
export interface ServingChampion {
  version: number;
  signature: ModelSignature | null;
}
