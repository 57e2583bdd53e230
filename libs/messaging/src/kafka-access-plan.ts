import {
  dlqTopic,
  SERVICE_NAMES,
  ServiceName,
  TOPIC_NAMES,
  topicsConsumedBy,
  topicsProducedBy,
} from '@mlops/contracts';

export type AclResource = 'TOPIC' | 'GROUP';
export type AclPattern = 'LITERAL' | 'PREFIXED';
export type AclOperation = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE' | 'DELETE';

/** One Kafka ACL entry, in the broker's own terms (principal `User:<name>`, any host). */
export interface AclBinding {
  principal: string;
  resource: AclResource;
  pattern: AclPattern;
  name: string;
  operation: AclOperation;
  permission: 'ALLOW' | 'DENY';
}

/** Kafka user names: each service authenticates as itself; product apps share one principal for labels. */
export const APPS_PRINCIPAL = 'app';

export function producerPrincipal(name: string): string {
  return `producer-${name}`;
}

/** Every consumer group a service joins starts with this, so one prefixed ACL covers its replicas' groups. */
export function consumerGroupPrefix(service: ServiceName): string {
  return `mlops-${service}`;
}

const user = (name: string) => `User:${name}`;

function allow(principal: string, resource: AclResource, pattern: AclPattern, name: string, operation: AclOperation): AclBinding {
  return { principal: user(principal), resource, pattern, name, operation, permission: 'ALLOW' };
}

function deny(principal: string, name: string, operation: AclOperation): AclBinding {
  return { principal: user(principal), resource: 'TOPIC', pattern: 'LITERAL', name, operation, permission: 'DENY' };
}

/**
 * What one service may do: write the catalog topics it produces and its own dead-letter topic, read the topics it
 * consumes, and use consumer groups under its own prefix. Nothing else is allowed (the broker runs with
 * `allow.everyone.if.no.acl.found=false`).
 */
export function serviceAccess(service: ServiceName): AclBinding[] {
  const bindings: AclBinding[] = [];
  for (const topic of [...topicsProducedBy(service), dlqTopic(service)]) {
    bindings.push(allow(service, 'TOPIC', 'LITERAL', topic, 'WRITE'), allow(service, 'TOPIC', 'LITERAL', topic, 'CREATE'));
  }
  for (const topic of topicsConsumedBy(service)) bindings.push(allow(service, 'TOPIC', 'LITERAL', topic, 'READ'));
  // DELETE: a gateway replica removes its own group at start and stop, so no replica leaves orphans behind.
  bindings.push(
    allow(service, 'GROUP', 'PREFIXED', consumerGroupPrefix(service), 'READ'),
    allow(service, 'GROUP', 'PREFIXED', consumerGroupPrefix(service), 'DELETE'),
  );
  if (service === 'feature-store') bindings.push(...featureSourceAccess());
  if (service === 'governance') bindings.push(allow(service, 'TOPIC', 'PREFIXED', 'mlops.', 'READ'));
  return bindings;
}

/**
 * The feature store creates and reads the source topics its feature views name, whatever they are called, so it
 * may create and read any topic; of the platform's own topics it may read only those it consumes (DENY wins over
 * ALLOW in Kafka's authorizer).
 */
function featureSourceAccess(): AclBinding[] {
  const service: ServiceName = 'feature-store';
  const consumed = new Set<string>(topicsConsumedBy(service));
  const platformTopics = [...TOPIC_NAMES, ...SERVICE_NAMES.map(dlqTopic)].filter((topic) => !consumed.has(topic));
  return [
    allow(service, 'TOPIC', 'LITERAL', '*', 'READ'),
    allow(service, 'TOPIC', 'LITERAL', '*', 'CREATE'),
    ...platformTopics.map((topic) => deny(service, topic, 'READ')),
  ];
}

/** Product applications may only report ground truth. */
export function appsAccess(): AclBinding[] {
  return topicsProducedBy('apps').map((topic) => allow(APPS_PRINCIPAL, 'TOPIC', 'LITERAL', topic, 'WRITE'));
}

/** A data engineer's producer may write only the source topics its feature views name. */
export function producerAccess(name: string, topics: readonly string[]): AclBinding[] {
  const platform = topics.filter((topic) => topic.startsWith('mlops.'));
  if (platform.length > 0) throw new RangeError(`a producer cannot be granted platform topics: ${platform.join(', ')}`);
  return topics.map((topic) => allow(producerPrincipal(name), 'TOPIC', 'LITERAL', topic, 'WRITE'));
}

/** The whole platform's ACLs: every service and the apps principal. */
export function platformAccess(): AclBinding[] {
  return [...SERVICE_NAMES.flatMap(serviceAccess), ...appsAccess()];
}
