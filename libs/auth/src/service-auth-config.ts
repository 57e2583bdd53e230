import { z } from 'zod';
import { Environment, loadConfig } from '@mlops/config';
import { parseApiKey } from './api-key';

export interface ServiceAuthConfig {
  /** The service's own key (role `service`), sent on its calls to other services. */
  serviceApiKey: string;
}

const schema = z.object({
  // Trimmed: a key handed over from a file (a Kubernetes Secret) keeps the file's line end.
  MLOPS_SERVICE_API_KEY: z.string().trim().refine((text) => parseApiKey(text) !== undefined, 'expected an mlops API key (mlops_<key id>_<secret>)'),
});

/** Throws ConfigError naming MLOPS_SERVICE_API_KEY when it is missing or not a key. */
export function loadServiceAuthConfig(env?: Environment): ServiceAuthConfig {
  return { serviceApiKey: loadConfig(schema, env).MLOPS_SERVICE_API_KEY };
}
