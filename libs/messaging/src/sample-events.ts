// Events used by this library's specs: a rollout verdict is small and keyed by its model name.
import { createEvent, PlatformEvent } from '@mlops/contracts';

export const SAMPLE_TOPIC = 'mlops.monitor.rollout-verdict';
export type SampleTopic = typeof SAMPLE_TOPIC;

export function sampleEvent(modelName: string, id?: string): PlatformEvent<SampleTopic> {
  return createEvent(
    SAMPLE_TOPIC,
    {
      modelName,
      championVersion: 1,
      challengerVersion: 2,
      verdict: 'continue',
      championMetrics: { auc: 0.81 },
      challengerMetrics: { auc: 0.82 },
      reason: 'challenger within tolerance',
      window: { from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' },
    },
    { source: 'monitor', id },
  );
}
