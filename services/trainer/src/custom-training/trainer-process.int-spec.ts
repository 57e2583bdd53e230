import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveGroupMembers } from './test-fixtures/live-group-members';
import { runTrainerProcess, TrainerProcessOptions } from './trainer-process';

const FIXTURES = join(__dirname, 'test-fixtures');

describe('runTrainerProcess (real processes)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'trainer-process-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  const run = (trainer: string, overrides: Partial<TrainerProcessOptions> = {}) =>
    runTrainerProcess({
      executable: join(FIXTURES, trainer, 'train'),
      args: ['dataset.parquet', 'params.json', cwd],
      cwd,
      env: { PATH: '/usr/bin:/bin' },
      timeoutMs: 60_000,
      killGraceMs: 200,
      logMaxBytes: 64 * 1024,
      ...overrides,
    });

  it('reports the exit code with stdout and stderr', async () => {
    const outcome = await run('exits-3');
    expect(outcome).toMatchObject({ exitCode: 3, signal: null, timedOut: false, droppedBytes: 0 });
    expect(outcome.output).toBe('reading dataset.parquet\nTraceback (most recent call last):\nValueError: column usage__minutes holds strings\n');
  });

  it('kills the whole process group past the timeout, also members ignoring SIGTERM', async () => {
    const outcome = await run('sleeps-past-timeout', { timeoutMs: 500 });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.signal).toBe('SIGKILL');
    expect(outcome.output).toBe(`process group ${outcome.pid}\n`);
    expect(liveGroupMembers(outcome.pid)).toEqual([]);
  });

  it('keeps the tail of a flood of output and counts the rest', async () => {
    const outcome = await run('floods', { logMaxBytes: 4096 });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.output.length).toBe(4096);
    expect(outcome.droppedBytes).toBeGreaterThan(100_000);
    expect(outcome.output.endsWith('progress line 4999 of a very chatty trainer\nthe last words\n')).toBe(true);
  });

  it('fails to start an executable that is not there', async () => {
    await expect(run('no-such-trainer')).rejects.toThrow(/ENOENT/);
  });
});
