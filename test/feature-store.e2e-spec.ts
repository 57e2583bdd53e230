import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { DLQ_HEADERS } from '@mlops/contracts';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { getJson, REPO_ROOT, ServiceProcess, testApiKey, testAuth, waitFor } from '@mlops/testing';
import { database, kafka, kcatFlags, postJson, rawProducer, uniqueName } from './fixtures/feature-store/feature-store-harness';
import { localS3 } from '@mlops/config';

// kcat is the producer that is not ours, authenticating as a principal the way a data engineer would.
const KCAT = join(REPO_ROOT, 'deploy/local/kcat');

interface FeatureValue {
  value: unknown;
  status: string;
}
interface OnlineResult {
  results: { entity: Record<string, unknown>; features: Record<string, FeatureValue> }[];
}

describe('feature store: definitions, streaming ingestion, online serving', () => {
  // A fixed group: a fresh one would first re-read the topics of every view earlier runs applied.
  const group = 'mlops-feature-store-e2e';
  // gRPC on any free port: a platform running beside the tests holds the default one.
  const env: Record<string, string> = { MLOPS_FEATURE_STORE_SOURCE_GROUP: group, MLOPS_FEATURE_STORE_DEFINITION_REFRESH_MS: '500', MLOPS_FEATURE_STORE_GRPC_PORT: '0' };
  let service: ServiceProcess;
  let grpcPort: number;
  let producer: Producer;
  let db: Client;
  const entity = uniqueName('customer');
  const view = uniqueName('txn');
  const topic = `${view}.events`;
  const now = Date.now();

  const start = async () => {
    service = await ServiceProcess.start('feature-store', env);
    grpcPort = await service.grpcPort();
    await service.waitUntilReady();
  };

  const viewDefinition = (extra: Record<string, unknown> = {}) => ({
    name: view,
    entities: [entity],
    source: { topic, eventTimeField: 'ts', entityKeyFields: { customer_id: 'customer.id' }, fieldMapping: { amount: 'payload.amount' } },
    schema: [
      { name: 'amount', type: 'float64', nullable: false, constraints: { min: 0 } },
      { name: 'country', type: 'string', constraints: { allowedValues: ['DE', 'FR', 'US'] } },
    ],
    ttlSeconds: 3600,
    owner: 'payments-team',
    tags: { domain: 'payments' },
    ...extra,
  });

  const record = (customer: string, ageSeconds: number, amount: unknown, country = 'DE') =>
    JSON.stringify({ customer: { id: customer }, ts: new Date(now - ageSeconds * 1000).toISOString(), payload: { amount }, country });

  const online = (entities: Record<string, unknown>[], features: string[]) =>
    postJson<OnlineResult>(`${service.url}/online-features`, { entities, features });

  const historyCount = async (): Promise<number> =>
    Number((await db.query('SELECT count(*) AS n FROM feature_store.offline_history WHERE view_name = $1', [view])).rows[0].n);

  beforeAll(async () => {
    db = await database();
    producer = await rawProducer();
    await start();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await db?.end();
    await service?.stop();
  });

  it('plans and applies definitions; a schema change makes a new version and the old one stays readable', async () => {
    const entityBody = { name: entity, joinKeys: [{ name: 'customer_id', type: 'string' }] };
    const plan = await postJson<{ changes: { action: string }[] }>(`${service.url}/plan`, { entities: [entityBody], featureViews: [viewDefinition()] });
    expect(plan.body.changes.map((c) => c.action)).toEqual(['create', 'create']);
    const repeatedKey = await postJson(`${service.url}/entities`, { ...entityBody, joinKeys: [...entityBody.joinKeys, ...entityBody.joinKeys] });
    expect(repeatedKey).toMatchObject({ status: 400, body: { message: ['body.joinKeys.1.name: join key customer_id is declared twice'] } });
    expect((await postJson(`${service.url}/entities`, entityBody)).status).toBe(200);
    expect((await postJson(`${service.url}/feature-views`, viewDefinition())).status).toBe(200);

    const admin = kafka().admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(metadata.topics[0].partitions).toHaveLength(6);

    const withFlag = viewDefinition({
      schema: [...viewDefinition().schema, { name: 'is_online', type: 'bool', nullable: true }],
    });
    const planned = await postJson<{ changes: { action: string; version: number; diff: string[] }[] }>(`${service.url}/plan`, { featureViews: [withFlag] });
    expect(planned.body.changes[0]).toMatchObject({ action: 'new-version', version: 2 });
    expect(planned.body.changes[0].diff).toEqual([expect.stringContaining('schema[is_online]')]);
    await postJson(`${service.url}/apply`, { featureViews: [withFlag] });
    const metadataOnly = await postJson<{ changes: { action: string; version: number }[] }>(`${service.url}/apply`, {
      featureViews: [{ ...withFlag, owner: 'risk-team' }],
    });
    expect(metadataOnly.body.changes[0]).toMatchObject({ action: 'update', version: 2 });

    const v1 = await getJson<{ version: number; definition: { schema: { name: string }[] } }>(`${service.url}/feature-views/${view}?version=1`);
    expect(v1.body.version).toBe(1);
    expect(v1.body.definition.schema.map((f) => f.name)).toEqual(['amount', 'country']);
    const latest = await getJson<{ version: number; definition: { owner: string } }>(`${service.url}/feature-views/${view}`);
    expect(latest.body).toMatchObject({ version: 2, definition: { owner: 'risk-team' } });
  });

  it('names the field and the reason when a definition is invalid', async () => {
    const bad = await postJson<{ message: string[] }>(`${service.url}/feature-views`, {
      ...viewDefinition(),
      ttlSeconds: -5,
      schema: [{ name: 'x', type: 'decimal' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join('\n')).toMatch(/ttlSeconds/);
    expect(bad.body.message.join('\n')).toMatch(/schema\.0\.type/);
    const unknownEntity = await postJson<{ message: string[] }>(`${service.url}/feature-views`, { ...viewDefinition(), name: uniqueName('v'), entities: ['nobody'] });
    expect(unknownEntity.status).toBe(400);
    expect(unknownEntity.body.message.join()).toMatch(/entities\.0: entity nobody/);
  });

  it('ingests plain JSON from kafkajs and kcat, keeps the newest value online, and serves TTL-aware values', async () => {
    await producer.send({ topic, messages: [{ key: 'c1', value: record('c1', 60, 10) }, { key: 'c2', value: record('c2', 7200, 5) }] });
    const newest = record('c1', 30, 20, 'FR');
    execFileSync(KCAT, ['-P', ...kcatFlags('admin'), '-t', topic, '-K', '|'], { input: `c1|${newest}\n` });
    await waitFor('three records in the history', async () => (await historyCount()) === 3);
    // The newer record is in; a late, older one must not replace it online, but joins the history.
    await producer.send({ topic, messages: [{ key: 'c1', value: record('c1', 120, 99, 'US') }] });
    await waitFor('the late record in the history', async () => (await historyCount()) === 4);

    const result = await online([{ customer_id: 'c1' }, { customer_id: 'c2' }, { customer_id: 'c3' }], [
      `${view}:amount`,
      `${view}:country`,
      `${view}@1:amount`,
    ]);
    expect(result.status).toBe(200);
    const [c1, c2, c3] = result.body.results;
    expect(c1.features[`${view}:amount`]).toMatchObject({ value: 20, status: 'PRESENT' });
    expect(c1.features[`${view}:country`]).toMatchObject({ value: 'FR', status: 'PRESENT' });
    expect(c1.features[`${view}@1:amount`]).toMatchObject({ value: 20, status: 'PRESENT' });
    expect(c2.features[`${view}:amount`]).toMatchObject({ value: null, status: 'EXPIRED' });
    expect(c3.features[`${view}:amount`]).toMatchObject({ value: null, status: 'NOT_FOUND' });

    const unknown = await online([{ customer_id: 'c1' }], [`${view}:nope`]);
    expect(unknown.status).toBe(400);
    const missingKey = await online([{ id: 'c1' }], [`${view}:amount`]);
    expect(missingKey.status).toBe(400);
    expect(JSON.stringify(missingKey.body)).toMatch(/join key customer_id is missing/);
  });

  it('serves the same values over gRPC GetOnlineFeatures, with INVALID_ARGUMENT naming the field and oversize requests refused', async () => {
    const definition = protoLoader.loadSync(join(REPO_ROOT, 'proto/feature_store/feature_store.proto'), {
      keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
    });
    const proto = grpc.loadPackageDefinition(definition) as unknown as {
      mlops: { feature_store: { v1: { FeatureStoreService: grpc.ServiceClientConstructor } } };
    };
    const client = new proto.mlops.feature_store.v1.FeatureStoreService(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
    const withKey = new grpc.Metadata();
    withKey.set('authorization', testAuth('app').authorization);
    const call = (request: unknown, metadata = withKey) =>
      new Promise<{ results: { features: Record<string, { value: Record<string, unknown> | null; status: string }> }[] }>((resolve, reject) =>
        (client as unknown as Record<string, (r: unknown, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, v: never) => void) => void>).GetOnlineFeatures(
          request,
          metadata,
          (err, value) => (err ? reject(err) : resolve(value)),
        ),
      );
    try {
      const response = await call({
        entities: [{ join_keys: { customer_id: 'c1' } }, { join_keys: { customer_id: 'c2' } }, { join_keys: { customer_id: 'c3' } }],
        features: [`${view}:amount`, `${view}:country`],
      });
      const [c1, c2, c3] = response.results;
      expect(c1.features[`${view}:amount`]).toMatchObject({ status: 'PRESENT', value: { float64_value: 20 } });
      expect(c1.features[`${view}:country`]).toMatchObject({ status: 'PRESENT', value: { string_value: 'FR' } });
      expect(c2.features[`${view}:amount`]).toMatchObject({ status: 'EXPIRED', value: null });
      expect(c3.features[`${view}:amount`]).toMatchObject({ status: 'NOT_FOUND', value: null });
      await expect(call({ entities: [{ join_keys: { customer_id: 'c1' } }], features: [`${view}:amount`, 'nope:x'] })).rejects.toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        details: expect.stringMatching(/^features\.1: .*no feature view nope/),
      });
      await expect(call({ entities: [{ join_keys: { id: 'c1' } }], features: [`${view}:amount`] })).rejects.toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        details: expect.stringMatching(/^entities\.0: join key customer_id is missing/),
      });
      await expect(call({ entities: [], features: [`${view}:amount`] })).rejects.toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        details: expect.stringMatching(/^entities: /),
      });
      // Over the server's 1 MiB limit on received messages: refused before anything is read.
      await expect(call({ entities: [{ join_keys: { customer_id: 'x'.repeat(2 * 1024 * 1024) } }], features: [`${view}:amount`] })).rejects.toMatchObject({
        code: grpc.status.RESOURCE_EXHAUSTED,
      });
      await expect(call({ entities: [{ join_keys: { customer_id: 'c1' } }], features: [`${view}:amount`] }, new grpc.Metadata())).rejects.toMatchObject({
        code: grpc.status.UNAUTHENTICATED,
        details: expect.stringMatching(/^missing-key: features:read needs an API key/),
      });
    } finally {
      client.close();
    }
  });

  it('answers POST /online-features through Nest with the errors, request ids and HTTP metrics of any route', async () => {
    const raw = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(`${service.url}/online-features`, { method: 'POST', headers: { ...testAuth('app'), ...headers }, body });
    const badField = await online([{ customer_id: true }], [`${view}:amount`]);
    expect(badField.status).toBe(400);
    expect(badField.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: [expect.stringMatching(/^entities\.0\.customer_id: /)] });
    const empty = await online([], []);
    expect((empty.body as unknown as { message: string[] }).message).toEqual(
      expect.arrayContaining([expect.stringMatching(/^entities: /), expect.stringMatching(/^features: /)]),
    );
    const unknownRef = await online([{ customer_id: 'c1' }], [`${view}:amount`, `${view}:nope`]);
    expect(unknownRef.body).toMatchObject({ statusCode: 400, message: `features.1: ${view}:nope: view ${view} v2 has no feature nope` });

    // The lean route checks keys as the guard does, with the guard's answers.
    const anonymous = await fetch(`${service.url}/online-features`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="mlops"');
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, reason: 'missing-key', permission: 'features:read' });
    const notJson = await raw('{"entities":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ statusCode: 400, message: expect.stringMatching(/JSON/) });
    const wrongType = await raw('entities=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ message: 'content-type: expected application/json, got application/x-www-form-urlencoded' });
    const tooLarge = await raw(JSON.stringify({ entities: [{ customer_id: 'x'.repeat(200 * 1024) }], features: [`${view}:amount`] }));
    expect(tooLarge.status).toBe(413);

    const traced = await raw(JSON.stringify({ entities: [{ customer_id: 'c1' }], features: [`${view}:amount`] }), {
      'content-type': 'application/json',
      'x-request-id': 'trace-online-1',
    });
    expect(traced.status).toBe(200);
    expect(traced.headers.get('x-request-id')).toBe('trace-online-1');
    expect(traced.headers.get('content-type')).toMatch(/^application\/json/);
    const metrics = String((await getJson(`${service.url}/metrics`)).body);
    expect(metrics).toMatch(/^mlops_feature_store_http_requests_total\{[^}]*route="\/online-features",status="200"[^}]*\} [1-9]/m);
    expect(metrics).toMatch(/^mlops_feature_store_http_requests_total\{[^}]*route="\/online-features",status="400"[^}]*\} [1-9]/m);
  });

  it('sends records that fail validation to the dead-letter topic with the reason and the original bytes', async () => {
    const bad = [
      { key: 'd1', value: record('d1', 10, -1) },
      { key: 'd2', value: record('d2', 10, 3, 'XX') },
      { key: 'd3', value: '{not json' },
      { key: 'd4', value: JSON.stringify({ customer: { id: 'd4' }, payload: { amount: 1 } }) },
    ];
    await producer.send({ topic, messages: bad });
    const consumer = kafka().consumer({ groupId: uniqueName('fs-dlq-reader') });
    const seen = new Map<string, { reason: string; value: string }>();
    await consumer.connect();
    await consumer.subscribe({ topic: 'mlops.dlq.feature-store', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.headers?.[DLQ_HEADERS.sourceTopic]?.toString() !== topic) return;
        seen.set(String(message.key), { reason: String(message.headers[DLQ_HEADERS.error]), value: String(message.value) });
      },
    });
    try {
      await waitFor('four dead letters', async () => seen.size === 4);
    } finally {
      await consumer.disconnect();
    }
    expect(seen.get('d1')).toEqual({ reason: expect.stringMatching(/field payload\.amount: -1 is below the minimum 0/), value: bad[0].value });
    expect(seen.get('d2')?.reason).toMatch(/field country: "XX" is not one of the allowed values/);
    expect(seen.get('d3')).toEqual({ reason: expect.stringMatching(/record is not JSON/), value: '{not json' });
    expect(seen.get('d4')?.reason).toMatch(/field ts must be an ISO-8601 time/);
    expect(await historyCount()).toBe(4);
  });

  it('backfills history from a CSV and from a Parquet file through the same validation, once', async () => {
    const store = new ObjectStore(localS3('admin'));
    const at = (ageSeconds: number) => new Date(now - ageSeconds * 1000).toISOString();
    const csv = `customer.id,ts,payload.amount,country\nb1,${at(50)},1.5,DE\nb2,${at(40)},-3,DE\nb3,${at(40)},2,"US"\n`;
    const csvFile = await store.putBuffer(BUCKETS.datasets, `uploads/feature-store-e2e/${uniqueName('backfill')}.csv`, Buffer.from(csv));
    const dir = mkdtempSync(join(tmpdir(), 'fs-backfill-'));
    let parquetBytes: Buffer;
    try {
      execFileSync('python3', [join(REPO_ROOT, 'test/fixtures/feature-store/write_backfill_parquet.py'), join(dir, 'b.parquet'), String(now)]);
      parquetBytes = readFileSync(join(dir, 'b.parquet'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const parquetFile = await store.putBuffer(BUCKETS.datasets, `uploads/feature-store-e2e/${uniqueName('backfill')}.parquet`, parquetBytes);
    const before = await historyCount();

    const fromCsv = await postJson<Record<string, unknown>>(`${service.url}/feature-views/${view}/backfill`, { uri: csvFile.uri, sha256: csvFile.sha256, format: 'csv' });
    expect(fromCsv.body).toMatchObject({ rows: 3, written: 2, rejected: 1, rejections: [{ row: 2, reason: expect.stringMatching(/-3 is below the minimum 0/) }] });
    const fromParquet = await postJson<Record<string, unknown>>(`${service.url}/feature-views/${view}/backfill`, { uri: parquetFile.uri, sha256: parquetFile.sha256, format: 'parquet' });
    expect(fromParquet.body).toMatchObject({ rows: 2, written: 2, rejected: 0 });
    expect(await historyCount()).toBe(before + 4);
    const again = await postJson<Record<string, unknown>>(`${service.url}/feature-views/${view}/backfill`, { uri: csvFile.uri, sha256: csvFile.sha256, format: 'csv' });
    expect(again.body).toMatchObject({ written: 2 });
    expect(await historyCount()).toBe(before + 4);

    const result = await online([{ customer_id: 'b1' }, { customer_id: 'p1' }, { customer_id: 'p2' }], [`${view}:amount`, `${view}:country`]);
    expect(result.body.results.map((r) => [r.features[`${view}:amount`].value, r.features[`${view}:country`].value])).toEqual([
      [1.5, 'DE'],
      [7.5, 'US'],
      [8.25, null],
    ]);
    const tampered = await postJson<{ message: string }>(`${service.url}/feature-views/${view}/backfill`, { uri: csvFile.uri, sha256: '0'.repeat(64), format: 'csv' });
    expect(tampered.status).toBe(400);
  });

  it('has no second effect when the whole topic is delivered again', async () => {
    const before = await db.query('SELECT entity_key, event_time, "values" FROM feature_store.online_values WHERE view_name = $1 ORDER BY entity_key', [view]);
    const historyBefore = await historyCount();
    await service.stop();
    const admin = kafka().admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: group, topic, earliest: true });
    await admin.disconnect();
    await start();
    // The new process counts from zero: once it has counted every valid record again, the topic was re-read.
    await waitFor('the topic re-read', async () => {
      const metrics = String((await getJson(`${service.url}/metrics`)).body);
      const line = metrics.split('\n').find((l) => l.startsWith('mlops_feature_store_ingested_records_total') && l.includes(`view="${view}"`));
      return line !== undefined && Number(line.split(' ').pop()) >= 4;
    });
    expect(await historyCount()).toBe(historyBefore);
    const after = await db.query('SELECT entity_key, event_time, "values" FROM feature_store.online_values WHERE view_name = $1 ORDER BY entity_key', [view]);
    expect(after.rows).toEqual(before.rows);
    const metrics = String((await getJson(`${service.url}/metrics`)).body);
    expect(metrics).toMatch(new RegExp(`mlops_feature_store_ingestion_lag_records\\{[^}]*view="${view}"[^}]*\\} 0`));
  });

  it('keeps ingesting the other views when the source topic of one is deleted', async () => {
    const define = (name: string) =>
      viewDefinition({ name, source: { topic: `${name}.events`, eventTimeField: 'ts', entityKeyFields: { customer_id: 'customer.id' }, fieldMapping: { amount: 'payload.amount' } } });
    const gone = uniqueName('gone');
    const later = uniqueName('later');
    expect((await postJson(`${service.url}/feature-views`, define(gone))).status).toBe(200);
    const admin = kafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [`${gone}.events`] });
    await admin.disconnect();
    // A subscription naming the deleted topic would fail as a whole: the view applied after it must still be read.
    expect((await postJson(`${service.url}/feature-views`, define(later))).status).toBe(200);
    await producer.send({ topic: `${later}.events`, messages: [{ key: 'c9', value: record('c9', 10, 7) }] });
    await waitFor('the later view ingested', async () => (await online([{ customer_id: 'c9' }], [`${later}:amount`])).body.results[0]?.features[`${later}:amount`].status === 'PRESENT');
  });

  it('applies a YAML file with `mlops apply`, showing the diff first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-apply-'));
    const cli = (...args: string[]) =>
      spawnSync(join(REPO_ROOT, 'apps/cli/bin/mlops'), args, {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MLOPS_FEATURE_STORE_URL: service.url, MLOPS_API_KEY: testApiKey('data-scientist') },
      });
    try {
      const file = join(dir, 'features.yaml');
      const name = uniqueName('clicks');
      const definition = { ...viewDefinition(), name, source: { topic: `${name}.src`, eventTimeField: 'ts' } };
      writeFileSync(file, toYaml({ featureViews: [definition] }));
      const human = cli('apply', file);
      expect(human.status).toBe(0);
      expect(human.stderr).toMatch(new RegExp(`feature-view ${name} \\(create\\)`));
      expect(human.stdout).toMatch(/create/);

      writeFileSync(file, toYaml({ featureViews: [{ ...definition, ttlSeconds: 60 }] }));
      const json = cli('--json', 'apply', file);
      expect(json.status).toBe(0);
      const result = JSON.parse(json.stdout);
      expect(result).toMatchObject({ applied: true, plan: { changes: [{ name, action: 'update', version: 1 }] } });
      expect(result.plan.changes[0].diff).toEqual(['ttlSeconds: 3600 -> 60']);

      writeFileSync(file, toYaml({ featureViews: [{ ...definition, entities: ['nobody'] }] }));
      const refused = cli('apply', file);
      expect(refused.status).toBe(2);
      expect(refused.stdout).toMatch(/featureViews\.0\.entities\.0: entity nobody/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
