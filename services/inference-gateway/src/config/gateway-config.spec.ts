import { hostname } from 'node:os';
import { loadGatewayConfig } from './gateway-config';

describe('gateway config', () => {
  it('names the replica after the host unless told, and takes the limits given', () => {
    expect(loadGatewayConfig({}).replicaId).toBe(hostname());
    const config = loadGatewayConfig({ MLOPS_GATEWAY_REPLICA_ID: 'gw-2', MLOPS_GATEWAY_MAX_REQUEST_BYTES: '2048', MLOPS_GATEWAY_GRPC_MAX_CONCURRENT_STREAMS: '16' });
    expect([config.replicaId, config.maxRequestBytes, config.grpc.maxConcurrentStreams]).toEqual(['gw-2', 2048, 16]);
  });

  it.each(['a b', '-leading-dash', 'x'.repeat(101), 'gw/1'])('refuses the replica id %j, naming the variable', (replicaId) => {
    expect(() => loadGatewayConfig({ MLOPS_GATEWAY_REPLICA_ID: replicaId })).toThrow(/MLOPS_GATEWAY_REPLICA_ID: expected 1-100 letters/);
  });
});
