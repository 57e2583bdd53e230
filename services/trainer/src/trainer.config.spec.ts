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
});
