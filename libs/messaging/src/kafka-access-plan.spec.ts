import { dlqTopic } from '@mlops/contracts';
import { AclBinding, appsAccess, platformAccess, producerAccess, serviceAccess } from './kafka-access-plan';

const allowed = (bindings: AclBinding[], operation: string, topic: string) =>
  bindings.some((b) => b.permission === 'ALLOW' && b.resource === 'TOPIC' && b.operation === operation && (b.name === topic || b.name === '*' || (b.pattern === 'PREFIXED' && topic.startsWith(b.name))));
const denied = (bindings: AclBinding[], operation: string, topic: string) =>
  bindings.some((b) => b.permission === 'DENY' && b.operation === operation && b.name === topic);
const mayWrite = (bindings: AclBinding[], topic: string) => allowed(bindings, 'WRITE', topic) && !denied(bindings, 'WRITE', topic);
const mayRead = (bindings: AclBinding[], topic: string) => allowed(bindings, 'READ', topic) && !denied(bindings, 'READ', topic);

describe('Kafka access derived from the contracts catalog', () => {
  it('lets only governance write approval decisions', () => {
    const writers = ['feature-store', 'trainer', 'registry', 'inference-gateway', 'monitor', 'governance'] as const;
    const may = writers.filter((service) => mayWrite(serviceAccess(service), 'mlops.governance.approval-decided'));
    expect(may).toEqual(['governance']);
    expect(mayWrite(appsAccess(), 'mlops.governance.approval-decided')).toBe(false);
  });

  it('lets a service write its own dead-letter topic and no other', () => {
    const registry = serviceAccess('registry');
    expect(mayWrite(registry, dlqTopic('registry'))).toBe(true);
    expect(mayWrite(registry, dlqTopic('trainer'))).toBe(false);
  });

  it('lets a service read what it consumes and nothing else of the platform', () => {
    const gateway = serviceAccess('inference-gateway');
    expect(mayRead(gateway, 'mlops.registry.deployment-changed')).toBe(true);
    expect(mayRead(gateway, 'mlops.training.completed')).toBe(false);
    expect(mayRead(gateway, 'mlops.labels.observed')).toBe(false);
  });

  it('lets the feature store read any feature source but no platform topic it does not consume', () => {
    const featureStore = serviceAccess('feature-store');
    expect(mayRead(featureStore, 'clicks.src')).toBe(true);
    expect(mayRead(featureStore, 'mlops.predictions.logged')).toBe(false);
    expect(mayRead(featureStore, dlqTopic('registry'))).toBe(false);
    expect(mayWrite(featureStore, 'clicks.src')).toBe(false);
  });

  it('lets governance read every platform topic, for the audit log', () => {
    const governance = serviceAccess('governance');
    expect(mayRead(governance, 'mlops.predictions.logged')).toBe(true);
    expect(mayRead(governance, dlqTopic('trainer'))).toBe(true);
  });

  it('confines consumer groups to the service prefix', () => {
    const groups = serviceAccess('monitor').filter((b) => b.resource === 'GROUP');
    expect(groups).toEqual([
      expect.objectContaining({ pattern: 'PREFIXED', name: 'mlops-monitor', operation: 'READ' }),
      expect.objectContaining({ pattern: 'PREFIXED', name: 'mlops-monitor', operation: 'DELETE' }),
    ]);
  });

  it('gives apps labels only, and producers only their named sources', () => {
    expect(appsAccess().map((b) => b.name)).toEqual(['mlops.labels.observed']);
    expect(producerAccess('clickstream', ['clicks.src']).map((b) => [b.principal, b.name, b.operation])).toEqual([
      ['User:producer-clickstream', 'clicks.src', 'WRITE'],
    ]);
    expect(() => producerAccess('evil', ['mlops.governance.approval-decided'])).toThrow(/platform topics/);
  });

  it('gives every service some access and never a wildcard write', () => {
    const all = platformAccess();
    expect(all.filter((b) => b.operation === 'WRITE' && (b.name === '*' || b.pattern === 'PREFIXED'))).toEqual([]);
  });
});
