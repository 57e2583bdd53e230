import { ConfigError } from '@mlops/config';
import { generateApiKey } from './api-key';
import { loadServiceAuthConfig } from './service-auth-config';

describe('loadServiceAuthConfig', () => {
  it('reads the service key, without the line end a key file leaves', () => {
    const { apiKey } = generateApiKey();
    expect(loadServiceAuthConfig({ MLOPS_SERVICE_API_KEY: `${apiKey}\n` })).toEqual({ serviceApiKey: apiKey });
  });

  it.each([
    [{}, 'MLOPS_SERVICE_API_KEY: required but not set'],
    [{ MLOPS_SERVICE_API_KEY: 'hunter2' }, 'MLOPS_SERVICE_API_KEY: expected an mlops API key (mlops_<key id>_<secret>), got <masked>'],
  ])('names the variable when the key is missing or malformed, never showing it', (env, message) => {
    expect(() => loadServiceAuthConfig(env)).toThrow(ConfigError);
    expect(() => loadServiceAuthConfig(env)).toThrow(`invalid configuration: ${message}`);
  });
});
