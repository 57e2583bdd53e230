import { ConfigError } from '@mlops/config';
import { loadTrainerConfig } from './trainer.config';

describe('loadTrainerConfig', () => {
  it('defaults to the local feature store and three attempts', () => {
    expect(loadTrainerConfig({})).toMatchObject({ featureStoreUrl: 'http://127.0.0.1:8082', maxAttempts: 3, registryUrl: 'http://127.0.0.1:8084' });
  });

  it('reads both variables, dropping a trailing slash from the URL', () => {
    expect(loadTrainerConfig({ MLOPS_TRAINER_FEATURE_STORE_URL: 'http://fs:9000/', MLOPS_TRAINER_MAX_ATTEMPTS: '7' })).toMatchObject({
      featureStoreUrl: 'http://fs:9000',
      maxAttempts: 7,
    });
  });

  it('reads the registry URL, dropping a trailing slash', () => {
    expect(loadTrainerConfig({ MLOPS_TRAINER_REGISTRY_URL: 'http://registry:8084/' }).registryUrl).toBe('http://registry:8084');
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_REGISTRY_URL: 'registry' })).toThrow(/MLOPS_TRAINER_REGISTRY_URL/);
  });

  it('names the variable and the reason for a bad value', () => {
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_MAX_ATTEMPTS: '0' })).toThrow(ConfigError);
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_MAX_ATTEMPTS: '0' })).toThrow(/MLOPS_TRAINER_MAX_ATTEMPTS.*at least 1 attempt/);
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_FEATURE_STORE_URL: 'not a url' })).toThrow(/MLOPS_TRAINER_FEATURE_STORE_URL/);
  });

  it('reads the training job settings, defaulting to two jobs under a one-minute lease', () => {
    expect(loadTrainerConfig({}).jobs).toEqual({ concurrency: 2, leaseMs: 60_000, pollMs: 1000, maxBackoffMs: 60_000 });
    expect(loadTrainerConfig({ MLOPS_TRAINER_JOB_CONCURRENCY: '4', MLOPS_TRAINER_JOB_LEASE_MS: '5000' }).jobs).toMatchObject({ concurrency: 4, leaseMs: 5000 });
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_JOB_LEASE_MS: '10' })).toThrow(/MLOPS_TRAINER_JOB_LEASE_MS.*at least 300 ms/);
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_JOB_CONCURRENCY: '0' })).toThrow(/MLOPS_TRAINER_JOB_CONCURRENCY.*at least 1 job/);
  });
});
