import { z } from 'zod';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const schema = z.object({
  MLOPS_WORKERS: z.coerce.number().int().min(1).default(3),
  MLOPS_NAME: z.string(),
  MLOPS_API_KEY: z.string().min(20),
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns the parsed values, applying defaults', () => {
    const config = loadConfig(schema, { MLOPS_NAME: 'registry', MLOPS_API_KEY: 'k'.repeat(20) });
    expect(config).toEqual({ MLOPS_WORKERS: 3, MLOPS_NAME: 'registry', MLOPS_API_KEY: 'k'.repeat(20) });
  });

  it('treats an empty variable as unset so the default applies', () => {
    const config = loadConfig(schema, { MLOPS_WORKERS: '', MLOPS_NAME: 'x', MLOPS_API_KEY: 'k'.repeat(20) });
    expect(config.MLOPS_WORKERS).toBe(3);
  });

  it('names every bad and missing variable with the reason and the value', () => {
    const error = configError(() => loadConfig(schema, { MLOPS_WORKERS: 'many' }));
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['MLOPS_API_KEY', 'MLOPS_NAME', 'MLOPS_WORKERS']);
    expect(error.message).toMatch(/^invalid configuration: /);
    expect(error.message).toContain('MLOPS_WORKERS: ');
    expect(error.message).toContain('got "many"');
    expect(error.message).toContain('MLOPS_NAME: required but not set');
    expect(error.message).toContain('MLOPS_API_KEY: required but not set');
  });

  it('masks the value of a variable whose name marks it secret', () => {
    const error = configError(() => loadConfig(schema, { MLOPS_NAME: 'x', MLOPS_API_KEY: 'hunter2' }));
    expect(error.message).toContain('MLOPS_API_KEY: ');
    expect(error.message).toContain('got <masked>');
    expect(error.message).not.toContain('hunter2');
  });

  it('ignores variables the schema does not name', () => {
    const config = loadConfig(z.object({ MLOPS_NAME: z.string() }), { MLOPS_NAME: 'x', OTHER: 'y' });
    expect(config).toEqual({ MLOPS_NAME: 'x' });
  });
});
