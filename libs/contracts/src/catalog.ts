import { z } from 'zod';
import { ApprovalDecided, ApprovalRequested, RolloutDecided } from './events/governance';
import { ApiKeyChanged } from './events/principals';
import { DriftDetected, PerformanceDegraded, RolloutVerdict } from './events/monitor';
import { DeploymentChanged, VersionRegistered } from './events/registry';
import { LabelObserved, PredictionLogged } from './events/serving';
import { TrainingCompleted, TrainingFailed, TrainingRequested } from './events/training';

interface EventDefinition<S extends z.ZodType> {
  readonly version: number;
  readonly data: S;
  /** Explicit partition count; high-volume topics get more for consumer-group scale-out. */
  readonly partitions: number;
  /** Kafka key: the model name (or the natural id) so one model's events stay ordered. */
  readonly key: (data: z.output<S>) => string;
  /** Kafka keeps only the latest record per key: the topic carries current state, read whole from the beginning. */
  readonly compacted?: boolean;
}

function defineEvent<S extends z.ZodType>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}

const byModel = (data: { modelName: string }): string => data.modelName;

/** Every platform topic, once: its schema version, data schema, partitions and key. */
export const eventCatalog = {
  'mlops.training.requested': defineEvent({ version: 1, data: TrainingRequested, partitions: 3, key: byModel }),
  'mlops.training.completed': defineEvent({ version: 1, data: TrainingCompleted, partitions: 3, key: byModel }),
  'mlops.training.failed': defineEvent({ version: 1, data: TrainingFailed, partitions: 3, key: byModel }),
  'mlops.registry.version-registered': defineEvent({ version: 1, data: VersionRegistered, partitions: 3, key: byModel }),
  'mlops.registry.deployment-changed': defineEvent({ version: 1, data: DeploymentChanged, partitions: 3, key: byModel }),
  'mlops.governance.approval-requested': defineEvent({ version: 1, data: ApprovalRequested, partitions: 3, key: byModel }),
  'mlops.governance.approval-decided': defineEvent({ version: 1, data: ApprovalDecided, partitions: 3, key: byModel }),
  'mlops.governance.rollout-decided': defineEvent({ version: 1, data: RolloutDecided, partitions: 3, key: byModel }),
  // One partition: every replica of every service reads all of it, and a key's changes stay in order.
  'mlops.governance.api-key-changed': defineEvent({ version: 1, data: ApiKeyChanged, partitions: 1, key: (d) => d.keyId, compacted: true }),
  'mlops.predictions.logged': defineEvent({ version: 1, data: PredictionLogged, partitions: 12, key: byModel }),
  'mlops.labels.observed': defineEvent({ version: 1, data: LabelObserved, partitions: 12, key: byModel }),
  'mlops.monitor.drift-detected': defineEvent({ version: 1, data: DriftDetected, partitions: 3, key: byModel }),
  'mlops.monitor.performance-degraded': defineEvent({ version: 1, data: PerformanceDegraded, partitions: 3, key: byModel }),
  'mlops.monitor.rollout-verdict': defineEvent({ version: 1, data: RolloutVerdict, partitions: 3, key: byModel }),
} as const;

export type EventCatalog = typeof eventCatalog;
export type TopicName = keyof EventCatalog;
/** The data of an event as its producer writes it (defaults may be omitted). */
export type EventInput<T extends TopicName> = z.input<EventCatalog[T]['data']>;
/** The data of an event as a consumer reads it (defaults applied). */
export type EventData<T extends TopicName> = z.output<EventCatalog[T]['data']>;

export const TOPIC_NAMES = Object.keys(eventCatalog) as TopicName[];

export function isTopicName(value: string): value is TopicName {
  return Object.prototype.hasOwnProperty.call(eventCatalog, value);
}

/** CloudEvents `type`: the topic plus its schema version, e.g. `mlops.registry.version-registered.v1`. */
export function eventType<T extends TopicName>(topic: T): `${T}.v${number}` {
  return `${topic}.v${eventCatalog[topic].version}`;
}
