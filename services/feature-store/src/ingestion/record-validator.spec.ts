import type { FeatureViewVersion } from '../definitions/feature-definitions';
import { FeatureViewDefinition } from '../definitions/feature-definitions';
import { parseEventTime, parseRecord, recordCheckOf, recordHash, validateRecord } from './record-validator';

const view: FeatureViewVersion = {
  name: 'txn',
  version: 3,
  definition: FeatureViewDefinition.parse({
    name: 'txn',
    entities: ['customer'],
    source: { topic: 't', eventTimeField: 'meta.at', entityKeyFields: { customer_id: 'who' }, fieldMapping: { amount: 'p.amt' } },
    schema: [
      { name: 'amount', type: 'float64', nullable: false, constraints: { min: 0, max: 100 } },
      { name: 'count', type: 'int64' },
      { name: 'tier', type: 'string', constraints: { allowedValues: ['gold', 'silver'] } },
      { name: 'vip', type: 'bool' },
    ],
    ttlSeconds: 60,
    owner: 'o',
  }),
  joinKeys: [{ name: 'customer_id', type: 'string' }],
  schemaHash: 'x',
  createdAt: '',
  updatedAt: '',
};

const validate = (record: unknown) => validateRecord(view, Buffer.from(typeof record === 'string' ? record : JSON.stringify(record)));
const good = { who: 'c1', meta: { at: '2026-01-02T03:04:05Z' }, p: { amt: 12.5 }, count: 2, tier: 'gold', vip: true };

describe('validateRecord', () => {
  it('maps fields through the view source and keeps the record hash', () => {
    const result = validate(good);
    expect(result).toEqual({
      ok: true,
      row: {
        viewName: 'txn',
        viewVersion: 3,
        entityKey: 'c1',
        eventTime: new Date('2026-01-02T03:04:05Z'),
        recordHash: recordHash(Buffer.from(JSON.stringify(good))),
        values: { amount: 12.5, count: 2, tier: 'gold', vip: true },
      },
    });
  });

  it('stores missing nullable features as null', () => {
    const result = validate({ who: 'c1', meta: { at: 1767322800000 }, p: { amt: 1 } });
    expect(result.ok && result.row.values).toEqual({ amount: 1, count: null, tier: null, vip: null });
  });

  it.each([
    ['not json', '{', /record is not JSON/],
    ['an array', [1], /must be a JSON object/],
    ['no entity key', { ...good, who: undefined }, /join key customer_id is missing/],
    ['a numeric string key', { ...good, who: 5 }, /join key customer_id must be a string/],
    ['no event time', { ...good, meta: {} }, /field meta\.at must be an ISO-8601 time/],
    ['a time without offset', { ...good, meta: { at: '2026-01-02T03:04:05' } }, /field meta\.at/],
    ['a missing required feature', { ...good, p: {} }, /field p\.amt: amount is not nullable/],
    ['a wrong type', { ...good, count: 1.5 }, /field count: expected int64, got 1\.5/],
    ['a value below min', { ...good, p: { amt: -1 } }, /-1 is below the minimum 0/],
    ['a value above max', { ...good, p: { amt: 101 } }, /101 is above the maximum 100/],
    ['a value not allowed', { ...good, tier: 'bronze' }, /"bronze" is not one of the allowed values/],
    ['a string for a bool', { ...good, vip: 'yes' }, /expected bool/],
  ])('rejects %s, naming the view and the field', (_, record, reason) => {
    const result = validate(record);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^feature view txn v3: /);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe('parseEventTime', () => {
  it('accepts ISO times with an offset and epoch milliseconds in range', () => {
    expect(parseEventTime('2026-01-02T03:04:05+02:00')).toEqual(new Date('2026-01-02T01:04:05Z'));
    expect(parseEventTime(0)).toEqual(new Date(0));
    expect(parseEventTime(1767322800)).toEqual(new Date(1767322800)); // seconds read as ms: 1970, still accepted
    expect(parseEventTime(-1)).toBeNull();
    expect(parseEventTime(Date.UTC(2200, 0, 1))).toBeNull();
    expect(parseEventTime('yesterday')).toBeNull();
  });
});

describe('recordCheckOf', () => {
  it('builds the check of a view version once and reuses it', () => {
    expect(recordCheckOf(view)).toBe(recordCheckOf(view));
  });

  it('asks for the record hash only when the record is accepted', () => {
    const hash = jest.fn(() => 'h');
    expect(recordCheckOf(view)({ ...good, tier: 'bronze' }, hash).ok).toBe(false);
    expect(hash).not.toHaveBeenCalled();
    const accepted = recordCheckOf(view)(good, hash);
    expect(accepted.ok && accepted.row.recordHash).toBe('h');
    expect(hash).toHaveBeenCalledTimes(1);
  });

  it('reads a nested field through an array as missing', () => {
    const result = recordCheckOf(view)({ ...good, p: [{ amt: 1 }] }, () => 'h');
    expect(!result.ok && result.reason).toMatch(/field p\.amt: amount is not nullable/);
  });
});

describe('parseRecord', () => {
  it('parses the bytes as UTF-8 JSON or says why it cannot', () => {
    expect(parseRecord(Buffer.from('{"a":"é"}'))).toEqual({ record: { a: 'é' } });
    expect(parseRecord(Buffer.from('{"a":'))).toEqual({ reason: expect.stringMatching(/^record is not JSON: /) });
  });
});
