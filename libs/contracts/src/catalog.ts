import { z } from 'zod';
import { ApprovalDecided, ApprovalRequested, RolloutDecided } from './events/governance';
import { ApiKeyChanged } from './events/principals';
import { DriftDetected, PerformanceDegraded, RolloutVerdict } from './events/monitor';
import { DeploymentChanged, VersionRegistered } from './events/registry';
import { LabelObserved, PredictionLogged } from './events/serving';
import { TrainingCompleted, TrainingFailed, TrainingRequested } from './events/training';
import { SERVICE_NAMES, ServiceName } from './services';

/** Who may write a topic: a platform service, or product applications (through their own principals). */
export type TopicProducer = ServiceName | 'apps';

interface EventDefinition<S extends z.ZodType> {
  readonly version: number;
  readonly data: S;
  /** Explicit partition count; high-volume topics get more for consumer-group scale-out. */
  readonly partitions: number;
  /** Kafka key: the model name (or the natural id) so one model's events stay ordered. */
  readonly key: (data: z.output<S>) => string;
  /** Kafka keeps only the latest record per key: the topic carries current state, read whole from the beginning. */
  readonly compacted?: boolean;
  /** The only principals allowed to write the topic; Kafka ACLs are derived from this and `consumers`. */
  readonly producers: readonly TopicProducer[];
  /** The services that read the topic (governance reads every one, for the audit log). */
  readonly consumers: readonly ServiceName[];
}

function defineEvent<S extends z.ZodType>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}

const byModel = (data: { modelName: string }): string => data.modelName;

/** Every platform topic, once: its schema version, data schema, partitions and key. */
export const eventCatalog = {
  'mlops.training.requested': defineEvent({
    version: 1, data: TrainingRequested, partitions: 3, key: byModel,
    producers: ['trainer', 'monitor'], consumers: ['trainer', 'monitor', 'governance'],
  }),
  'mlops.training.completed': defineEvent({
    version: 1, data: TrainingCompleted, partitions: 3, key: byModel,
    producers: ['trainer'], consumers: ['registry', 'monitor', 'governance'],
  }),
  'mlops.training.failed': defineEvent({
    version: 1, data: TrainingFailed, partitions: 3, key: byModel,
    producers: ['trainer'], consumers: ['monitor', 'governance'],
  }),
  'mlops.registry.version-registered': defineEvent({
    version: 1, data: VersionRegistered, partitions: 3, key: byModel,
    producers: ['registry'], consumers: ['monitor', 'governance'],
  }),
  'mlops.registry.deployment-changed': defineEvent({
    version: 1, data: DeploymentChanged, partitions: 3, key: byModel,
    producers: ['registry'], consumers: ['inference-gateway', 'monitor', 'governance'],
  }),
  'mlops.governance.approval-requested': defineEvent({
    version: 1, data: ApprovalRequested, partitions: 3, key: byModel,
    producers: ['governance'], consumers: ['governance'],
  }),
  'mlops.governance.approval-decided': defineEvent({
    version: 1, data: ApprovalDecided, partitions: 3, key: byModel,
    producers: ['governance'], consumers: ['registry', 'governance'],
  }),
  'mlops.governance.rollout-decided': defineEvent({
    version: 1, data: RolloutDecided, partitions: 3, key: byModel,
    producers: ['governance'], consumers: ['registry', 'governance'],
  }),
  // One partition: every replica of every service reads all of it, and a key's changes stay in order.
  'mlops.governance.api-key-changed': defineEvent({
    version: 1, data: ApiKeyChanged, partitions: 1, key: (d) => d.keyId, compacted: true,
    producers: ['governance'], consumers: [...SERVICE_NAMES],
  }),
  'mlops.predictions.logged': defineEvent({
    version: 1, data: PredictionLogged, partitions: 12, key: byModel,
    producers: ['inference-gateway'], consumers: ['monitor', 'governance'],
  }),
  'mlops.labels.observed': defineEvent({
    version: 1, data: LabelObserved, partitions: 12, key: byModel,
    producers: ['apps'], consumers: ['monitor', 'governance'],
  }),
  'mlops.monitor.drift-detected': defineEvent({
    version: 1, data: DriftDetected, partitions: 3, key: byModel,
    producers: ['monitor'], consumers: ['governance'],
  }),
  'mlops.monitor.performance-degraded': defineEvent({
    version: 1, data: PerformanceDegraded, partitions: 3, key: byModel,
    producers: ['monitor'], consumers: ['governance'],
  }),
  'mlops.monitor.rollout-verdict': defineEvent({
    version: 1, data: RolloutVerdict, partitions: 3, key: byModel,
    producers: ['monitor'], consumers: ['governance'],
  }),
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

/** The catalog topics a service writes; with its dead-letter topic, the only topics it may write. */
export function topicsProducedBy(producer: TopicProducer): TopicName[] {
  return TOPIC_NAMES.filter((topic) => eventCatalog[topic].producers.includes(producer));
}

/** The catalog topics a service reads. */
export function topicsConsumedBy(service: ServiceName): TopicName[] {
  return TOPIC_NAMES.filter((topic) => eventCatalog[topic].consumers.includes(service));
}
