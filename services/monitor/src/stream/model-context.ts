import type { MonitoringPolicy } from '@mlops/contracts';
import type { ReferenceProfile } from '@mlops/ml';
import type { Task } from '../performance/realised-metrics';

/** What the monitor knows about a model version when it evaluates a window of it. */
export interface VersionReference {
  profile: ReferenceProfile;
  /** The training holdout's metrics, the baseline live performance is compared with. */
  baseline: Record<string, number>;
  task: Task;
}

/** Looked up synchronously on the hot path, so implementations answer from memory. */
export interface ModelContext {
  policy(modelName: string): MonitoringPolicy;
  reference(modelName: string, version: number): VersionReference | null;
}
