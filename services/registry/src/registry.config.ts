import { z } from 'zod';
import { Environment, loadConfig } from '@mlops/config';

export const REGISTRY_CONFIG = Symbol('REGISTRY_CONFIG');

export interface RegistryConfig {
  /** Uploads longer than this are refused (413) while streaming, before any of it is kept. */
  maxArtifactBytes: number;
}

const schema = z.object({
  MLOPS_REGISTRY_MAX_ARTIFACT_BYTES: z.coerce
    .number({ error: 'expected a whole number of bytes' })
    .int('expected a whole number of bytes')
    .positive('expected at least 1 byte')
    .prefault(String(2 * 1024 * 1024 * 1024)),
});

export function loadRegistryConfig(env?: Environment): RegistryConfig {
  const vars = loadConfig(schema, env);
  return { maxArtifactBytes: vars.MLOPS_REGISTRY_MAX_ARTIFACT_BYTES };
}
