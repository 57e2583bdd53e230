import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { FeatureType } from '../definitions/feature-definitions';
import type { OnlineFeaturesResult } from './online-features';
import { getOnlineFeaturesResponse, onlineRequestOf } from './online-features-grpc-message';
import { FEATURE_STORE_PROTO, PROTO_LOADER_OPTIONS } from './online-features-grpc.transport';

const method = (grpc.loadPackageDefinition(protoLoader.loadSync(FEATURE_STORE_PROTO, PROTO_LOADER_OPTIONS)) as unknown as {
  mlops: { feature_store: { v1: { FeatureStoreService: grpc.ServiceClientConstructor } } };
}).mlops.feature_store.v1.FeatureStoreService.service.GetOnlineFeatures;

describe('GetOnlineFeatures messages', () => {
  it('encode every value with the type of its feature, every status and every join key, as protobufjs reads them back', () => {
    const t = '2026-01-01T00:00:00.000Z';
    const result: OnlineFeaturesResult = {
      results: [
        {
          entity: { user_id: 42, region: 'é✓' },
          features: {
            'v:count': { value: -7, status: 'PRESENT', eventTime: t },
            'v:big': { value: 2 ** 40, status: 'PRESENT', eventTime: t },
            'v:ratio': { value: 0.1, status: 'PRESENT', eventTime: t },
            'v:whole': { value: 3, status: 'PRESENT', eventTime: t },
            'v:name': { value: 'x'.repeat(300), status: 'PRESENT', eventTime: t },
            'v:flag': { value: false, status: 'PRESENT', eventTime: t },
            'v:gone': { value: null, status: 'EXPIRED', eventTime: t },
          },
        },
        { entity: { user_id: '43', region: 'b' }, features: { 'v:count': { value: null, status: 'NOT_FOUND', eventTime: null } } },
      ],
    };
    const types: Record<string, FeatureType> = { count: 'int64', big: 'int64', ratio: 'float64', whole: 'float64', name: 'string', flag: 'bool', gone: 'float64' };
    const message = getOnlineFeaturesResponse(result, (ref) => types[ref.slice(2)]);
    expect(method.responseDeserialize(method.responseSerialize(message))).toEqual({
      results: [
        {
          join_keys: { user_id: '42', region: 'é✓' },
          features: {
            'v:count': { value: { int64_value: '-7', kind: 'int64_value' }, status: 'PRESENT', event_time: t },
            'v:big': { value: { int64_value: String(2 ** 40), kind: 'int64_value' }, status: 'PRESENT', event_time: t },
            'v:ratio': { value: { float64_value: 0.1, kind: 'float64_value' }, status: 'PRESENT', event_time: t },
            'v:whole': { value: { float64_value: 3, kind: 'float64_value' }, status: 'PRESENT', event_time: t },
            'v:name': { value: { string_value: 'x'.repeat(300), kind: 'string_value' }, status: 'PRESENT', event_time: t },
            'v:flag': { value: { bool_value: false, kind: 'bool_value' }, status: 'PRESENT', event_time: t },
            'v:gone': { value: null, status: 'EXPIRED', event_time: t },
          },
        },
        { join_keys: { user_id: '43', region: 'b' }, features: { 'v:count': { value: null, status: 'NOT_FOUND', event_time: '' } } },
      ],
    });
  });

  it('turn a decoded request into the body POST /online-features takes', () => {
    const bytes = method.requestSerialize({ entities: [{ join_keys: { user_id: '1' } }, { join_keys: {} }], features: ['v:f'] });
    expect(onlineRequestOf(method.requestDeserialize(bytes))).toEqual({ entities: [{ user_id: '1' }, {}], features: ['v:f'] });
  });
});
