import { onlineFeaturesJson } from './online-features-json';
import type { FeatureValue, OnlineFeaturesResult } from './online-features';

describe('onlineFeaturesJson', () => {
  it('writes exactly what JSON.stringify writes, for every kind of value, status and key', () => {
    const at = '2026-01-01T11:59:00.123Z';
    const result: OnlineFeaturesResult = {
      results: [
        {
          entity: { customer_id: 'c"1\\', region: 7 },
          features: {
            'txn:amount': { value: 1.5, status: 'PRESENT', eventTime: at },
            'txn:count': { value: -0, status: 'PRESENT', eventTime: at },
            'txn:big': { value: 1e21, status: 'PRESENT', eventTime: at },
            'txn:country': { value: 'DÉ\n"x"\u2028', status: 'PRESENT', eventTime: at },
            'txn:flag': { value: false, status: 'PRESENT', eventTime: at },
            'txn:missing': { value: null, status: 'PRESENT', eventTime: at },
            'txn@1:amount': { value: null, status: 'EXPIRED', eventTime: '2025-01-01T00:00:00.000Z' },
            'geo:density': { value: null, status: 'NOT_FOUND', eventTime: null },
          },
        },
        { entity: {}, features: {} },
        { entity: { customer_id: 'c2' }, features: { 'txn:amount': { value: 3, status: 'PRESENT', eventTime: at } as FeatureValue } },
      ],
    };
    expect(onlineFeaturesJson(result)).toBe(JSON.stringify(result));
    expect(onlineFeaturesJson({ results: [] })).toBe(JSON.stringify({ results: [] }));
  });

  it('matches JSON.stringify on many randomly built answers', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const statuses = ['PRESENT', 'EXPIRED', 'NOT_FOUND'] as const;
    for (let round = 0; round < 200; round++) {
      const results = Array.from({ length: Math.floor(random() * 5) }, (_, e) => {
        const features: Record<string, FeatureValue> = {};
        for (let f = 0; f < Math.floor(random() * 6); f++) {
          const status = statuses[Math.floor(random() * 3)];
          const kind = Math.floor(random() * 4);
          const value = status !== 'PRESENT' ? null : kind === 0 ? random() * 1e6 - 5e5 : kind === 1 ? `s${random()}` : kind === 2 ? random() > 0.5 : null;
          const eventTime = status === 'NOT_FOUND' ? null : new Date(1.7e12 + Math.floor(random() * 1e10)).toISOString();
          features[`v${f % 3}:f${f}`] = { value, status, eventTime };
        }
        return { entity: { id: e }, features };
      });
      expect(onlineFeaturesJson({ results })).toBe(JSON.stringify({ results }));
    }
  });
});
