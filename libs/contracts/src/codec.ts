import { eventCatalog, EventData, isTopicName, TopicName } from './catalog';
import { cloudEventSchema, ContractViolation, formatIssues, PlatformEvent } from './envelope';

export type DecodeResult<T extends TopicName> =
  | { ok: true; event: PlatformEvent<T> }
  | { ok: false; error: string };

const envelopes = new Map<TopicName, ReturnType<typeof cloudEventSchema>>();

function envelopeOf(topic: TopicName) {
  let schema = envelopes.get(topic);
  if (!schema) {
    schema = cloudEventSchema(topic, eventCatalog[topic].data);
    envelopes.set(topic, schema);
  }
  return schema;
}

/** Serializes an event for Kafka; the event is checked against its topic's contract first. */
export function encodeEvent<T extends TopicName>(topic: T, event: PlatformEvent<T>): Buffer {
  const parsed = envelopeOf(topic).safeParse(event);
  if (!parsed.success) throw new ContractViolation(topic, formatIssues(parsed.error));
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** Parses and validates raw Kafka bytes against the topic's contract; never throws. */
export function decodeEvent<T extends TopicName>(topic: T, bytes: Buffer | string | null | undefined): DecodeResult<T> {
  if (!isTopicName(topic)) return { ok: false, error: `unknown topic ${String(topic)}` };
  if (bytes === null || bytes === undefined || bytes.length === 0) return { ok: false, error: 'empty record value' };
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message}` };
  }
  const parsed = envelopeOf(topic).safeParse(json);
  if (!parsed.success) return { ok: false, error: formatIssues(parsed.error).join('; ') };
  return { ok: true, event: parsed.data as PlatformEvent<T> & { data: EventData<T> } };
}

/** The Kafka key of an event: its subject (model name, or the natural id). */
export function eventKey<T extends TopicName>(event: PlatformEvent<T>): string {
  return event.subject;
}
