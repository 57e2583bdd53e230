import type { EventConsumer } from '@mlops/messaging';

/** A service's Kafka edge: registers its topic handlers, each of which only translates and calls a use case. */
export interface EventSubscriber {
  subscribe(consumer: EventConsumer): void;
}
