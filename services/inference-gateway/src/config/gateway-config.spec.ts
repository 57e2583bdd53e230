import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('spools prediction logs per replica under the temporary directory unless told, and not at all with a bound of 0', () => {
    expect(loadGatewayConfig({ MLOPS_GATEWAY_REPLICA_ID: 'gw-2' }).predictionLog.spool).toEqual({ dir: join(tmpdir(), 'mlops-prediction-spool', 'gw-2'), maxBytes: 1024 ** 3, retryMs: 1000 });
    expect(loadGatewayConfig({ MLOPS_GATEWAY_PREDICTION_SPOOL_DIR: '/var/spool/gw', MLOPS_GATEWAY_PREDICTION_SPOOL_MAX_BYTES: '1048576' }).predictionLog.spool).toMatchObject({ dir: '/var/spool/gw', maxBytes: 1048576 });
    expect(loadGatewayConfig({ MLOPS_GATEWAY_PREDICTION_SPOOL_MAX_BYTES: '0' }).predictionLog.spool).toBeNull();
  });

  it('refuses a relative spool directory and a bound that is not a whole number, naming the variable', () => {
    expect(() => loadGatewayConfig({ MLOPS_GATEWAY_PREDICTION_SPOOL_DIR: 'spool' })).toThrow(/MLOPS_GATEWAY_PREDICTION_SPOOL_DIR: expected an absolute path/);
    expect(() => loadGatewayConfig({ MLOPS_GATEWAY_PREDICTION_SPOOL_MAX_BYTES: '1GB' })).toThrow(/MLOPS_GATEWAY_PREDICTION_SPOOL_MAX_BYTES: expected a whole number/);
  });
});
