import { z } from 'zod';
import { eventCatalog, eventType, TopicName, TOPIC_NAMES } from './catalog';
import { cloudEventSchema } from './envelope';

/** JSON Schema (draft 2020-12) of every event envelope, keyed by CloudEvents type, for non-TypeScript clients. */
export function exportJsonSchemas(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const topic of TOPIC_NAMES) {
    schemas[eventType(topic)] = jsonSchemaOf(topic);
  }
  return schemas;
}

export function jsonSchemaOf(topic: TopicName): unknown {
  return z.toJSONSchema(cloudEventSchema(topic, eventCatalog[topic].data), { io: 'input', unrepresentable: 'any' });
}
