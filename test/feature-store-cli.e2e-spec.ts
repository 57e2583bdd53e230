import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT, ServiceProcess } from '@mlops/testing';
import { postJson, uniqueName } from './fixtures/feature-store/feature-store-harness';
import { runMlops } from './fixtures/mlops-cli';


describe('mlops features backfill against a real feature store', () => {
  let service: ServiceProcess;
  let dir: string;
  const entity = uniqueName('customer');
  const run = promisify(execFile);
  const view = uniqueName('cli_txn');
  const now = Date.now();
  const at = (ageSeconds: number) => new Date(now - ageSeconds * 1000).toISOString();

  const mlops = (...args: string[]) => runMlops({ MLOPS_FEATURE_STORE_URL: service.url }, args);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-cli-'));
    service = await ServiceProcess.start('feature-store', {
      MLOPS_FEATURE_STORE_SOURCE_GROUP: 'mlops-feature-store-cli-e2e',
      MLOPS_FEATURE_STORE_GRPC_PORT: '0',
    });
    await service.waitUntilReady();
    expect((await postJson(`${service.url}/entities`, { name: entity, joinKeys: [{ name: 'customer_id', type: 'string' }] })).status).toBe(200);
    const created = await postJson(`${service.url}/feature-views`, {
      name: view,
      entities: [entity],
      source: { topic: `${view}.events`, eventTimeField: 'ts', entityKeyFields: { customer_id: 'customer.id' }, fieldMapping: { amount: 'payload.amount' } },
      schema: [
        { name: 'amount', type: 'float64', nullable: false, constraints: { min: 0 } },
        { name: 'country', type: 'string', constraints: { allowedValues: ['DE', 'FR', 'US'] } },
      ],
      ttlSeconds: 3600,
      owner: 'payments-team',
    });
    expect(created.status).toBe(200);
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await service?.stop();
  });

  it('uploads a CSV, reports written and rejected rows as JSON, and the values are served online', async () => {
    const csv = join(dir, 'history.csv');
    writeFileSync(csv, `customer.id,ts,payload.amount,country\nk1,${at(50)},1.5,DE\nk2,${at(40)},-3,DE\nk3,${at(30)},2,FR\n`);
    const result = await mlops('--json', 'features', 'backfill', view, csv);
    expect(result.code).toBe(0);
    // No progress bar in --json mode: stderr stays clean for scripts.
    expect(result.stderr).toBe('');
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({
      view,
      version: 1,
      rows: 3,
      written: 2,
      rejected: 1,
      rejections: [{ row: 2, reason: expect.stringMatching(/-3 is below the minimum 0/) }],
      file: { uri: expect.stringMatching(new RegExp(`^s3://mlops-datasets/uploads/backfills/${view}/.+\\.csv$`)), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });

    const read = await mlops('--json', 'features', 'get', '--entity', 'customer_id=k1', '--entity', 'customer_id=k3', '--feature', `${view}:amount`, '--feature', `${view}:country`);
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout).results.map((r: { features: Record<string, { value: unknown }> }) => [r.features[`${view}:amount`].value, r.features[`${view}:country`].value])).toEqual([
      [1.5, 'DE'],
      [2, 'FR'],
    ]);
  });

  it('uploads a Parquet file written by pyarrow and prints a summary for people', async () => {
    const parquet = join(dir, 'history.parquet');
    await run('python3', [join(REPO_ROOT, 'test/fixtures/feature-store/write_backfill_parquet.py'), parquet, String(now)]);
    const result = await mlops('features', 'backfill', view, parquet);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^backfilled ${view} v1 from s3://mlops-datasets/uploads/backfills/${view}/\\S+\\.parquet \\(sha256 [0-9a-f]{64}\\): 2 rows, 2 written, 0 rejected$`, 'm'));
  });

  it('refuses an unknown format and an unknown view with a usage exit code and the reason', async () => {
    const text = join(dir, 'history.txt');
    writeFileSync(text, 'x');
    const unknownFormat = await mlops('features', 'backfill', view, text);
    expect(unknownFormat.code).toBe(2);
    expect(unknownFormat.stderr).toMatch(/cannot tell the format from the extension; give --format csv or --format parquet/);

    const csv = join(dir, 'other.csv');
    writeFileSync(csv, `customer.id,ts,payload.amount\nk1,${at(5)},1\n`);
    const unknownView = await mlops('features', 'backfill', uniqueName('nope'), csv);
    expect(unknownView.code).toBe(2);
    expect(unknownView.stderr).toMatch(/failed \(400\): no feature view nope_/);

    const missing = await mlops('features', 'backfill', view, join(dir, 'missing.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*missing\.csv/);
  });
});
