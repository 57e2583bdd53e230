import { randomUUID } from 'node:crypto';
import { ContractViolation, createEvent } from './envelope';
import { decodeEvent, encodeEvent } from './codec';
import { eventCatalog, eventType, TOPIC_NAMES } from './catalog';
import { exportJsonSchemas } from './json-schema';
import { dlqTopic } from './topics';

const decided = {
  approvalId: randomUUID(),
  modelName: 'churn',
  version: 3,
  decision: 'approved' as const,
  automatic: false,
  decidedBy: ['alice', 'bob'],
  reason: 'two approvers',
};

describe('event codec', () => {
  it('round-trips a CloudEvents 1.0 envelope keyed by the model name', () => {
    const event = createEvent('mlops.governance.approval-decided', decided, { source: 'governance' });
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'mlops.governance.approval-decided.v1',
      source: '/mlops/governance',
      subject: 'churn',
      datacontenttype: 'application/json',
    });
    const decoded = decodeEvent('mlops.governance.approval-decided', encodeEvent('mlops.governance.approval-decided', event));
    expect(decoded).toEqual({ ok: true, event });
  });

  it('refuses to create an event whose data breaks its contract, naming the field', () => {
    expect(() => createEvent('mlops.governance.approval-decided', { ...decided, version: 0 }, { source: 'governance' })).toThrow(
      ContractViolation,
    );
    expect(() => createEvent('mlops.governance.approval-decided', { ...decided, modelName: 'Has Spaces' }, { source: 'governance' })).toThrow(
      /modelName: must be a lowercase slug/,
    );
  });

  it('reports why bytes cannot be decoded instead of throwing', () => {
    expect(decodeEvent('mlops.training.failed', Buffer.from('{not json'))).toEqual({ ok: false, error: expect.stringMatching(/^not valid JSON/) });
    expect(decodeEvent('mlops.training.failed', null)).toEqual({ ok: false, error: 'empty record value' });
    const wrongType = { ...createEvent('mlops.governance.approval-decided', decided, { source: 'governance' }), type: 'mlops.training.failed.v1' };
    const result = decodeEvent('mlops.governance.approval-decided', JSON.stringify(wrongType));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^type: /);
  });

  it('applies documented defaults when a producer omits them', () => {
    const event = createEvent(
      'mlops.training.requested',
      {
        requestId: randomUUID(),
        modelName: 'churn',
        featureRefs: ['customer_stats:orders_30d'],
        labelSource: { kind: 'feature', featureRef: 'labels:churned' },
        algorithm: 'gbdt_classifier',
        requestedBy: 'cli',
      },
      { source: 'trainer' },
    );
    expect(event.data.split).toEqual({ policy: 'time', holdoutFraction: 0.2 });
    expect(event.data.seed).toBe(0);
  });
});

describe('catalog', () => {
  it('names every topic of the brief once, each with a versioned type and explicit partitions', () => {
    // The brief's 13, less mlops.features.dataset-created (nothing but the audit consumed it), plus
    // mlops.governance.rollout-decided (governance's decision on a monitor's verdict, applied by the registry) and
    // mlops.governance.api-key-changed (the key directory every service keeps).
    expect(TOPIC_NAMES).toHaveLength(14);
    expect(TOPIC_NAMES).not.toContain('mlops.features.dataset-created');
    for (const topic of TOPIC_NAMES) {
      expect(topic).toMatch(/^mlops\.[a-z]+\.[a-z-]+$/);
      expect(eventType(topic)).toBe(`${topic}.v${eventCatalog[topic].version}`);
      expect(eventCatalog[topic].partitions).toBeGreaterThan(0);
    }
    expect(eventCatalog['mlops.predictions.logged'].partitions).toBeGreaterThan(eventCatalog['mlops.training.requested'].partitions);
    expect(dlqTopic('feature-store')).toBe('mlops.dlq.feature-store');
  });

  it('exports a JSON Schema for every event type', () => {
    const schemas = exportJsonSchemas() as Record<string, { properties: { type: { const: string } } }>;
    expect(Object.keys(schemas)).toHaveLength(TOPIC_NAMES.length);
    expect(schemas['mlops.registry.deployment-changed.v1'].properties.type.const).toBe('mlops.registry.deployment-changed.v1');
  });
});
