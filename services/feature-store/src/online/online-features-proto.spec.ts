import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_OPTIONS, PROTO_PATH } from './online-features-grpc.server';
import type { OnlineFeaturesResult } from './online-features';
import { encodeOnlineFeaturesResponse } from './online-features-proto';

const proto = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS)) as unknown as {
  mlops: { feature_store: { v1: { FeatureStoreService: grpc.ServiceClientConstructor } } };
};
const decode = proto.mlops.feature_store.v1.FeatureStoreService.service.GetOnlineFeatures.responseDeserialize;

describe('encodeOnlineFeaturesResponse', () => {
  it('gives the bytes the generic decoder reads back as every value, status and join key', () => {
    const t = '2026-01-01T00:00:00.000Z';
    const result: OnlineFeaturesResult = {
      results: [
        {
          entity: { user_id: '42', region: 'é✓' },
          features: {
            'v:count': { value: -7, status: 'PRESENT', eventTime: t },
            'v:big': { value: 2 ** 40, status: 'PRESENT', eventTime: t },
            'v:ratio': { value: 0.1, status: 'PRESENT', eventTime: t },
            'v:name': { value: 'x'.repeat(300), status: 'PRESENT', eventTime: t },
            'v:flag': { value: false, status: 'PRESENT', eventTime: t },
            'v:gone': { value: null, status: 'EXPIRED', eventTime: t },
          },
        },
        { entity: { user_id: '43', region: 'b' }, features: { 'v:count': { value: null, status: 'NOT_FOUND', eventTime: null } } },
      ],
    };
    const types = new Map([
      ['v:count', 'int64'],
      ['v:big', 'int64'],
      ['v:ratio', 'float64'],
      ['v:name', 'string'],
      ['v:flag', 'bool'],
      ['v:gone', 'float64'],
    ]);
    expect(decode(encodeOnlineFeaturesResponse(result, types))).toEqual({
      results: [
        {
          join_keys: { user_id: '42', region: 'é✓' },
          features: {
            'v:count': { value: { int64_value: '-7', kind: 'int64_value' }, status: 'PRESENT', event_time: t },
            'v:big': { value: { int64_value: String(2 ** 40), kind: 'int64_value' }, status: 'PRESENT', event_time: t },
            'v:ratio': { value: { float64_value: 0.1, kind: 'float64_value' }, status: 'PRESENT', event_time: t },
            'v:name': { value: { string_value: 'x'.repeat(300), kind: 'string_value' }, status: 'PRESENT', event_time: t },
            'v:flag': { value: { bool_value: false, kind: 'bool_value' }, status: 'PRESENT', event_time: t },
            'v:gone': { value: null, status: 'EXPIRED', event_time: t },
          },
        },
        { join_keys: { user_id: '43', region: 'b' }, features: { 'v:count': { value: null, status: 'NOT_FOUND', event_time: '' } } },
      ],
    });
  });

  it('writes lengths of several bytes for large answers', () => {
    const features = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`view:f${i}`, { value: i + 0.5, status: 'PRESENT' as const, eventTime: 't' }]));
    const result: OnlineFeaturesResult = { results: Array.from({ length: 100 }, (_, i) => ({ entity: { user_id: String(i) }, features })) };
    const decoded = decode(encodeOnlineFeaturesResponse(result, new Map())) as { results: { join_keys: { user_id: string }; features: Record<string, { value: { float64_value: number } }> }[] };
    expect(decoded.results).toHaveLength(100);
    expect(decoded.results[99].join_keys.user_id).toBe('99');
    expect(decoded.results[99].features['view:f9'].value.float64_value).toBe(9.5);
  });
});
