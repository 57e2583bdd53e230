import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import type { Producer } from 'kafkajs';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { readParquetDataset } from '@mlops/ml';
import { REPO_ROOT, ServiceProcess, waitFor } from '@mlops/testing';
import { database, postJson, rawProducer, recordHashOf, seededRandom, uniqueName } from './fixtures/feature-store/feature-store-harness';
import { localS3 } from '@mlops/config';


const SEED = 20261123;
// Not execFileSync: a blocked event loop misses the service closing an idle keep-alive connection, and the next
// request would go out on the dead socket.
const python = async (...args: string[]) => (await promisify(execFile)('python3', args, { encoding: 'utf8', maxBuffer: 1 << 26 })).stdout;
const STEP_MS = 10_000;

interface Produced {
  view: string;
  entity: string;
  time: number;
  hash: string;
  values: Record<string, unknown>;
}

interface Snapshot {
  snapshotId: string;
  uri: string;
  sha256: string;
  rows: number;
  schema: { name: string; type: string }[];
  featureViews: { name: string; version: number }[];
}

/** The definition of point-in-time correctness, by brute force: newest at or before t, within TTL, ties by hash. */
function reference(records: Produced[], view: string, entity: string, time: number, ttlSeconds: number): Record<string, unknown> | null {
  let best: Produced | null = null;
  for (const r of records) {
    if (r.view !== view || r.entity !== entity || r.time > time || r.time < time - ttlSeconds * 1000) continue;
    if (!best || r.time > best.time || (r.time === best.time && r.hash > best.hash)) best = r;
  }
  return best?.values ?? null;
}

describe('feature store: point-in-time correct datasets', () => {
  const random = seededRandom(SEED);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const t0 = Date.UTC(2026, 0, 31, 23, 58, 0); // crosses a month boundary, so two history partitions are read
  const store = new ObjectStore(localS3('admin'));
  const user = uniqueName('user');
  const merchant = uniqueName('merchant');
  const views = {
    a: { name: uniqueName('user_stats'), ttl: 100 },
    b: { name: uniqueName('user_risk'), ttl: 50 },
    c: { name: uniqueName('merchant_cat'), ttl: 1000 },
  };
  let service: ServiceProcess;
  let producer: Producer;
  let db: Client;
  const produced: Produced[] = [];
  const labelRows: { user_id: number | string; merchant_id: string; event_timestamp: string; label: number }[] = [];
  let request: Record<string, unknown>;

  beforeAll(async () => {
    db = await database();
    producer = await rawProducer();
    service = await ServiceProcess.start('feature-store', { MLOPS_FEATURE_STORE_SOURCE_GROUP: 'mlops-feature-store-e2e', MLOPS_FEATURE_STORE_GRPC_PORT: '0', MLOPS_FEATURE_STORE_DATASET_CHUNK_ROWS: '64' });
    await service.waitUntilReady();
    const view = (name: string, entities: string[], schema: unknown[], ttlSeconds: number) => ({
      name, entities, source: { topic: `${name}.src`, eventTimeField: 'at' }, schema, ttlSeconds, owner: 'ds-team',
    });
    const applied = await postJson(`${service.url}/apply`, {
      entities: [
        { name: user, joinKeys: [{ name: 'user_id', type: 'int64' }] },
        { name: merchant, joinKeys: [{ name: 'merchant_id', type: 'string' }] },
      ],
      featureViews: [
        view(views.a.name, [user], [{ name: 'a_val', type: 'int64' }], views.a.ttl),
        view(views.b.name, [user], [{ name: 'b_val', type: 'float64' }, { name: 'b_flag', type: 'bool' }], views.b.ttl),
        view(views.c.name, [merchant], [{ name: 'c_cat', type: 'string' }], views.c.ttl),
      ],
    });
    expect(applied.status).toBe(200);

    // Coarse time grid: equal event times (ties), values exactly one TTL old (edges), and shuffled sends (late records).
    const messages: { topic: string; key: string; value: string }[] = [];
    const add = (view: string, key: string, record: Record<string, unknown>, values: Record<string, unknown>, time: number) => {
      const value = JSON.stringify(record);
      messages.push({ topic: `${view}.src`, key, value });
      produced.push({ view, entity: key, time, hash: recordHashOf(value), values });
    };
    for (let i = 0; i < 250; i++) {
      const id = 1 + Math.floor(random() * 15);
      const time = t0 + Math.floor(random() * 30) * STEP_MS;
      const at = random() < 0.5 ? new Date(time).toISOString() : time;
      const a = Math.floor(random() * 1000);
      add(views.a.name, String(id), { user_id: id, at, a_val: a }, { a_val: a }, time);
      const b = Math.round(random() * 1e4) / 100;
      const flag = random() < 0.5;
      add(views.b.name, String(id), { user_id: String(id), at, b_val: b, b_flag: flag }, { b_val: b, b_flag: flag }, time);
      const m = `m${1 + Math.floor(random() * 8)}`;
      const cat = pick(['food', 'travel', 'games', null]);
      add(views.c.name, m, { merchant_id: m, at: time, c_cat: cat }, { c_cat: cat }, time);
    }
    messages.push(messages[3], messages[7]); // a producer retry: the same bytes again
    for (let i = messages.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [messages[i], messages[j]] = [messages[j], messages[i]];
    }
    for (const m of messages) await producer.send({ topic: m.topic, messages: [{ key: m.key, value: m.value }] });
    const distinct = new Set(produced.map((p) => `${p.view}/${p.hash}`)).size;
    await waitFor(
      'every record in the history',
      async () =>
        Number((await db.query('SELECT count(*) AS n FROM feature_store.offline_history WHERE view_name = ANY($1)', [Object.values(views).map((v) => v.name)])).rows[0].n) === distinct,
      { timeoutMs: 120_000 },
    );

    for (let i = 0; i < 300; i++) {
      labelRows.push({
        user_id: 1 + Math.floor(random() * 18), // 16-18 never had features
        merchant_id: `m${1 + Math.floor(random() * 10)}`, // m9, m10 neither
        event_timestamp: new Date(t0 + Math.floor(random() * 36) * STEP_MS).toISOString(),
        label: Math.round(random() * 100) / 100,
      });
    }
    // Both ends of int64 as join keys (digit strings, beyond a double's precision): entities without features.
    for (const id of ['9223372036854775807', '-9223372036854775808']) {
      labelRows.push({ user_id: id, merchant_id: 'm1', event_timestamp: new Date(t0 + 20 * STEP_MS).toISOString(), label: 0.5 });
    }
    request = {
      features: [`${views.a.name}:a_val`, `${views.b.name}:b_val`, `${views.b.name}:b_flag`, `${views.c.name}:c_cat`],
      entityRows: labelRows,
    };
  });

  afterAll(async () => {
    await producer?.disconnect();
    await db?.end();
    await service?.stop();
  });

  const build = async (body: Record<string, unknown>) => {
    const response = await postJson<Snapshot>(`${service.url}/datasets`, body);
    expect(response.status).toBe(201);
    return response.body;
  };

  /** Through pyarrow: a reader that is not ours. */
  const readRows = async (snapshot: Snapshot) => {
    const bytes = await store.readVerified(snapshot.uri, snapshot.sha256);
    const dir = mkdtempSync(join(tmpdir(), 'fs-dataset-'));
    try {
      const file = join(dir, 'dataset.parquet');
      writeFileSync(file, bytes);
      const out = await python(join(REPO_ROOT, 'test/fixtures/feature-store/dump_rows.py'), file);
      return { bytes, rows: JSON.parse(out) as Record<string, unknown>[] };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it(`matches a brute-force point-in-time join on randomized data (seed ${SEED})`, async () => {
    const snapshot = await build(request);
    expect(snapshot.rows).toBe(labelRows.length);
    expect(snapshot.schema.map((c) => c.name)).toEqual([
      'user_id', 'merchant_id', 'event_timestamp', 'label',
      `${views.a.name}__a_val`, `${views.b.name}__b_val`, `${views.b.name}__b_flag`, `${views.c.name}__c_cat`,
    ]);
    const { rows } = await readRows(snapshot);
    let present = 0;
    rows.forEach((row, i) => {
      const label = labelRows[i];
      const time = Date.parse(label.event_timestamp);
      const a = reference(produced, views.a.name, String(label.user_id), time, views.a.ttl);
      const b = reference(produced, views.b.name, String(label.user_id), time, views.b.ttl);
      const c = reference(produced, views.c.name, label.merchant_id, time, views.c.ttl);
      const expected = {
        user_id: String(label.user_id),
        merchant_id: label.merchant_id,
        event_timestamp: time,
        label: label.label,
        a: a?.a_val ?? null,
        b: b?.b_val ?? null,
        flag: b?.b_flag ?? null,
        cat: c?.c_cat ?? null,
      };
      const actual = {
        user_id: String(row.user_id),
        merchant_id: row.merchant_id,
        event_timestamp: row.event_timestamp,
        label: row.label,
        a: row[`${views.a.name}__a_val`] ?? null,
        b: row[`${views.b.name}__b_val`] ?? null,
        flag: row[`${views.b.name}__b_flag`] ?? null,
        cat: row[`${views.c.name}__c_cat`] ?? null,
      };
      expect({ row: i, ...actual }).toEqual({ row: i, ...expected });
      if (a) present++;
    });
    // The data must exercise both outcomes, or the comparison above proves little.
    expect(present).toBeGreaterThan(30);
    expect(present).toBeLessThan(labelRows.length);
  });

  it('gives the same bytes and sha256 for the same inputs, inline or from a CSV in object storage, and records each snapshot', async () => {
    const first = await build(request);
    const second = await build(request);
    expect(second.sha256).toBe(first.sha256);
    expect(second.snapshotId).not.toBe(first.snapshotId);
    const csv = ['event_timestamp,user_id,merchant_id,label', ...labelRows.map((r) => `${r.event_timestamp},${r.user_id},"${r.merchant_id}",${r.label}`)].join('\n');
    const labels = await store.putBuffer(BUCKETS.datasets, `uploads/feature-store-e2e/${uniqueName('labels')}.csv`, Buffer.from(csv));
    const fromCsv = await build({ features: request.features, entitySource: { uri: labels.uri, sha256: labels.sha256 } });
    expect(fromCsv.sha256).toBe(first.sha256);

    const tampered = await postJson<{ message: string }>(`${service.url}/datasets`, {
      features: request.features,
      entitySource: { uri: labels.uri, sha256: '0'.repeat(64) },
    });
    expect(tampered.status).toBe(400);
    expect(tampered.body.message).toMatch(/entitySource/);

    const rows = await db.query('SELECT sha256, rows, feature_views FROM feature_store.dataset_snapshots WHERE id = $1', [first.snapshotId]);
    expect(rows.rows[0]).toMatchObject({ sha256: first.sha256, rows: String(labelRows.length) });
    // The snapshot row is the record; nothing is announced on Kafka (no service acted on an announcement).
    const announced = await db.query(`SELECT count(*)::int AS n FROM feature_store.outbox WHERE convert_from(payload, 'UTF8') LIKE '%' || $1 || '%'`, [first.snapshotId]);
    expect(announced.rows[0].n).toBe(0);
  });

  it('is read by pandas, DuckDB and pyarrow with the column types, nulls and values written', async () => {
    const snapshot = await build(request);
    const { bytes } = await readRows(snapshot);
    const dir = mkdtempSync(join(tmpdir(), 'fs-dataset-'));
    try {
      const file = join(dir, 'dataset.parquet');
      writeFileSync(file, bytes);
      const seen = JSON.parse(
        await python(join(REPO_ROOT, 'test/fixtures/feature-store/read_dataset.py'), file),
      );
      const columns = snapshot.schema.map((c) => c.name);
      const n = labelRows.length;
      expect(seen).toMatchObject({ pandasRows: n, duckdbRows: n, pandasColumns: columns, duckdbColumns: columns });
      expect(seen.timestampDtype).toMatch(/^datetime64\[ms, UTC\]/);
      const [a, b, flag, cat] = [`${views.a.name}__a_val`, `${views.b.name}__b_val`, `${views.b.name}__b_flag`, `${views.c.name}__c_cat`];
      expect(seen.arrowTypes).toEqual({
        user_id: 'int64', merchant_id: 'string', event_timestamp: 'timestamp[ms, tz=UTC]', label: 'double',
        [a]: 'int64', [b]: 'double', [flag]: 'bool', [cat]: 'string',
      });
      expect(seen.duckdbTypes).toEqual({
        user_id: 'BIGINT', merchant_id: 'VARCHAR', event_timestamp: 'TIMESTAMP WITH TIME ZONE', label: 'DOUBLE',
        [a]: 'BIGINT', [b]: 'DOUBLE', [flag]: 'BOOLEAN', [cat]: 'VARCHAR',
      });
      // Nulls are nulls (not NaN) for every reader, and the readers agree on where they are.
      expect(seen.nonNull.label).toBe(n);
      expect(seen.nonNull[a]).toBeLessThan(n);
      expect(seen.nonNull[cat]).toBeLessThan(n);
      expect(seen.duckdbNonNull).toEqual(seen.nonNull);
      expect(seen.nanCount).toBe(0);
      expect(seen.duckdbInt64Extremes).toEqual(['-9223372036854775808', '9223372036854775807']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is read by the trainer's reader with the values pyarrow sees", async () => {
    const snapshot = await build(request);
    const { bytes, rows } = await readRows(snapshot);
    const [a, b, flag] = [`${views.a.name}__a_val`, `${views.b.name}__b_val`, `${views.b.name}__b_flag`];
    const data = await readParquetDataset(bytes, { featureColumns: [a, b, flag], labelColumn: 'label', timestampColumn: 'event_timestamp' });
    expect(data.features.rows).toBe(labelRows.length);
    const missing = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
    expect([...data.features.values]).toEqual(rows.flatMap((row) => [missing(row[a]), missing(row[b]), missing(row[flag])]));
    expect([...data.labels]).toEqual(rows.map((row) => row.label));
    expect([...data.timestamps!]).toEqual(rows.map((row) => row.event_timestamp));
  });

  it('names the problem in a bad dataset request', async () => {
    const unknown = await postJson<{ message: string }>(`${service.url}/datasets`, { features: ['nope:x'], entityRows: labelRows.slice(0, 2) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/features\.0: .*no feature view nope/);
    const missingKey = await postJson<{ message: string }>(`${service.url}/datasets`, {
      features: request.features,
      entityRows: [{ user_id: 1, event_timestamp: labelRows[0].event_timestamp, label: 1 }],
    });
    expect(missingKey.status).toBe(400);
    expect(missingKey.body.message).toMatch(/join key merchant_id is missing/);
    const outOfRange = await postJson<{ message: string }>(`${service.url}/datasets`, {
      features: request.features,
      entityRows: [labelRows[0], { ...labelRows[0], user_id: '9223372036854775808' }],
    });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.message).toBe('entity row 2: user_id must be a int64, got "9223372036854775808"');
  });
});
