import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCustomTrainingConfig } from '../trainer.config';

describe('loadCustomTrainingConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves custom training off by default, with a one-hour timeout and a 1 MiB log', () => {
    expect(loadCustomTrainingConfig({ PATH: '/bin' })).toEqual({
      trainersDir: null,
      timeoutMs: 3_600_000,
      killGraceMs: 10_000,
      logMaxBytes: 1_048_576,
      processEnv: { PATH: '/bin' },
    });
  });

  it('reads the directory and limits, and passes on only PATH, HOME and LANG', () => {
    const config = loadCustomTrainingConfig({
      MLOPS_TRAINER_CUSTOM_TRAINERS_DIR: dir,
      MLOPS_TRAINER_CUSTOM_TIMEOUT_SECONDS: '1.5',
      MLOPS_TRAINER_CUSTOM_KILL_GRACE_SECONDS: '0.2',
      MLOPS_TRAINER_RUN_LOG_MAX_BYTES: '4096',
      PATH: '/usr/bin',
      HOME: '/home/t',
      MLOPS_POSTGRES_URL: 'postgres://secret@db/x',
    });
    expect(config).toEqual({ trainersDir: dir, timeoutMs: 1500, killGraceMs: 200, logMaxBytes: 4096, processEnv: { PATH: '/usr/bin', HOME: '/home/t' } });
  });

  it('refuses a directory that is relative or missing, naming the variable', () => {
    expect(() => loadCustomTrainingConfig({ MLOPS_TRAINER_CUSTOM_TRAINERS_DIR: 'trainers' })).toThrow(/MLOPS_TRAINER_CUSTOM_TRAINERS_DIR.*absolute path/);
    expect(() => loadCustomTrainingConfig({ MLOPS_TRAINER_CUSTOM_TRAINERS_DIR: join(dir, 'nope') })).toThrow(/MLOPS_TRAINER_CUSTOM_TRAINERS_DIR.*existing directory/);
    expect(() => loadCustomTrainingConfig({ MLOPS_TRAINER_CUSTOM_TIMEOUT_SECONDS: '0' })).toThrow(/MLOPS_TRAINER_CUSTOM_TIMEOUT_SECONDS.*above 0 seconds/);
  });
});
