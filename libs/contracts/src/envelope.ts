import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EventData, EventInput, eventCatalog, eventType, TopicName } from './catalog';
import type { ServiceName } from './services';

/** CloudEvents 1.0 structured-mode JSON envelope around any data schema. */
export function cloudEventSchema<S extends z.ZodType>(topic: TopicName, data: S) {
  return z.object({
    specversion: z.literal('1.0'),
    id: z.string().min(1),
    source: z.string().min(1),
    type: z.literal(eventType(topic)),
    time: z.iso.datetime({ offset: true }),
    subject: z.string().min(1),
    datacontenttype: z.literal('application/json'),
    data,
  });
}

export interface PlatformEvent<T extends TopicName> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  data: EventData<T>;
}

export interface CreateEventOptions {
  source: ServiceName;
  /** Stable id when the same logical event may be produced again (consumers dedupe on it). */
  id?: string;
  time?: Date;
}

export class ContractViolation extends Error {
  constructor(
    readonly topic: string,
    readonly issues: string[],
  ) {
    super(`${topic}: ${issues.join('; ')}`);
    this.name = 'ContractViolation';
  }
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/** Builds a validated event; a producer can never emit data its contract rejects. */
export function createEvent<T extends TopicName>(topic: T, data: EventInput<T>, options: CreateEventOptions): PlatformEvent<T> {
  const parsed = eventCatalog[topic].data.safeParse(data);
  if (!parsed.success) throw new ContractViolation(topic, formatIssues(parsed.error));
  const eventData = parsed.data as EventData<T>;
  return {
    specversion: '1.0',
    id: options.id ?? randomUUID(),
    source: `/mlops/${options.source}`,
    type: eventType(topic),
    time: (options.time ?? new Date()).toISOString(),
    subject: eventCatalog[topic].key(eventData as never),
    datacontenttype: 'application/json',
    data: eventData,
  };
}
