import { ConfigError } from '@mlops/config';
import { loadTrainerConfig } from './trainer.config';

describe('loadTrainerConfig', () => {
  it('defaults to the local feature store and three attempts', () => {
    expect(loadTrainerConfig({})).toEqual({ featureStoreUrl: 'http://127.0.0.1:8082', maxAttempts: 3 });
  });

  it('reads both variables, dropping a trailing slash from the URL', () => {
    expect(loadTrainerConfig({ MLOPS_TRAINER_FEATURE_STORE_URL: 'http://fs:9000/', MLOPS_TRAINER_MAX_ATTEMPTS: '7' })).toEqual({
      featureStoreUrl: 'http://fs:9000',
      maxAttempts: 7,
    });
  });

  it('names the variable and the reason for a bad value', () => {
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_MAX_ATTEMPTS: '0' })).toThrow(ConfigError);
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_MAX_ATTEMPTS: '0' })).toThrow(/MLOPS_TRAINER_MAX_ATTEMPTS.*at least 1 attempt/);
    expect(() => loadTrainerConfig({ MLOPS_TRAINER_FEATURE_STORE_URL: 'not a url' })).toThrow(/MLOPS_TRAINER_FEATURE_STORE_URL/);
  });
});
