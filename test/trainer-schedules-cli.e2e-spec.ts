import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess } from '@mlops/testing';
import { runMlops } from './fixtures/mlops-cli';

const model = `e2e-sched-${randomUUID().slice(0, 8)}`;

describe('mlops schedules against a real trainer', () => {
  let trainer: ServiceProcess;
  const dir = mkdtempSync(join(tmpdir(), 'schedules-cli-'));
  const requestFile = join(dir, 'request.yaml');

  const mlops = (...args: string[]) => runMlops({ MLOPS_TRAINER_URL: trainer.url }, args);

  beforeAll(async () => {
    writeFileSync(
      requestFile,
      [
        'featureRefs: [usage:minutes, usage:tickets]',
        `labelSource: { kind: dataset, uri: "s3://mlops-datasets/labels/churn.csv", sha256: ${'c'.repeat(64)} }`,
        'algorithm: gbdt_classifier',
        'hyperparameters: { numIterations: 50 }',
        'seed: 3',
      ].join('\n'),
    );
    trainer = await ServiceProcess.start('trainer');
    await trainer.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await trainer?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets a schedule from a request file, lists and shows it, and deletes it', async () => {
    const set = await mlops('--json', 'schedules', 'set', model, '--cron', '15 4 * * mon', '--request', requestFile);
    expect(set.code).toBe(0);
    const stored = JSON.parse(set.stdout) as { cron: string; nextFireAt: string; request: { algorithm: string; seed: number } };
    expect(stored).toMatchObject({ cron: '15 4 * * mon', request: { algorithm: 'gbdt_classifier', seed: 3 } });
    expect(new Date(stored.nextFireAt).getUTCDay()).toBe(1);

    const listed = await mlops('schedules', 'list');
    expect(listed.stdout).toMatch(new RegExp(`^${model}\\s+15 4 \\* \\* mon\\s+yes`, 'm'));

    expect((await mlops('schedules', 'delete', model)).code).toBe(0);
    const gone = await mlops('schedules', 'show', model);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain('has no training schedule');
  });

  it('refuses a bad cron expression with exit 2 and the field named', async () => {
    const refused = await mlops('schedules', 'set', model, '--cron', '0 25 * * *', '--request', requestFile);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('body.cron: "0 25 * * *" is not a cron expression (Invalid value for hour: 25); expected five fields in UTC: minute 0-59, hour 0-23');
  });
});
