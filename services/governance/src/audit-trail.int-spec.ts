import { DataSource } from 'typeorm';
import { AuditEntry, createEvent, eventType } from '@mlops/contracts';
import { messagingMigration } from '@mlops/messaging';
import { waitFor } from '@mlops/testing';
import { chain, ChainVerifier, contentOf } from './audit-log/audit-chain';
import { AuditTrail } from './audit-log/audit-trail';
import { canonicalJson } from './audit-log/canonical-json';
import { AuditLog1732300000200 } from './migrations/1732300000200-audit-log';
import { governanceMigrations } from './migrations';
import { RecordAuditEntry } from './record-audit-entry/record-audit-entry.use-case';
import { createPrivateDatabase, GovernanceHarness, uniqueName } from './test-support/governance-harness';
import { deploymentChanged, predictionLogged, versionRegistered } from './test-support/sample-events';

function governanceDataSource(url: string, migrations = governanceMigrations): DataSource {
  return new DataSource({ type: 'postgres', url, schema: 'governance', migrations, migrationsTableName: 'migrations', poolSize: 4 });
}

async function migrated(url: string, migrations = governanceMigrations): Promise<DataSource> {
  const dataSource = governanceDataSource(url, migrations);
  await dataSource.initialize();
  await dataSource.query('CREATE SCHEMA IF NOT EXISTS governance');
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

describe('the legacy audit_log, migrated', () => {
  it('chains the state changes in their order and folds predictions and labels into hourly counts', async () => {
    const database = await createPrivateDatabase();
    const legacy = await migrated(database.url, [messagingMigration('governance'), AuditLog1732300000200]);
    try {
      const insert = (id: string, type: string, at: string) =>
        legacy.query(
          `INSERT INTO governance.audit_log (event_id, event_type, source, subject, occurred_at, data) VALUES ($1, $2, '/mlops/registry', 'churn', $3, '{"n":1}')`,
          [id, type, at],
        );
      await insert('e1', 'mlops.registry.version-registered.v1', '2026-01-01T10:05:00Z');
      await insert('p1', 'mlops.predictions.logged.v1', '2026-01-01T10:10:00Z');
      await insert('p2', 'mlops.predictions.logged.v1', '2026-01-01T10:50:00Z');
      await insert('e2', 'mlops.registry.deployment-changed.v1', '2026-01-01T11:00:00Z');
      await insert('l1', 'mlops.labels.observed.v1', '2026-01-01T11:30:00Z');
    } finally {
      await legacy.destroy();
    }
    const current = await migrated(database.url);
    try {
      const entries: { seq: string; event_id: string }[] = await current.query('SELECT seq, event_id FROM governance.audit_trail ORDER BY seq');
      expect(entries.map((e) => [Number(e.seq), e.event_id])).toEqual([[1, 'e1'], [2, 'e2']]);
      const counts: { event_type: string; hour: Date; events: string }[] = await current.query(
        'SELECT event_type, hour, events FROM governance.event_counts_hourly ORDER BY hour, event_type',
      );
      expect(counts.map((c) => [c.event_type, c.hour.toISOString(), Number(c.events)])).toEqual([
        ['mlops.predictions.logged.v1', '2026-01-01T10:00:00.000Z', 2],
        ['mlops.labels.observed.v1', '2026-01-01T11:00:00.000Z', 1],
      ]);
      const rows: { seq: string; entry_sha256: string }[] = await current.query('SELECT seq, entry_sha256 FROM governance.audit_head');
      expect(Number(rows[0].seq)).toBe(2);
    } finally {
      await current.destroy();
      await database.drop();
    }
  });
});

describe('governance audit trail against real Postgres and Kafka', () => {
  let governance: GovernanceHarness;
  const verify = () => governance.api().verifyAuditTrail();

  beforeAll(async () => {
    governance = await GovernanceHarness.start();
  });

  afterAll(async () => {
    await governance?.stop();
  });

  it('appends each event once into one gapless chain while replicas race and deliveries repeat', async () => {
    const replicas = await Promise.all([1, 2, 3].map(async () => migrated(governance.databaseUrl)));
    try {
      const appenders = replicas.map((dataSource) => new RecordAuditEntry(dataSource, new AuditTrail()));
      const model = uniqueName('race-');
      const events = Array.from({ length: 40 }, (_, i) =>
        createEvent('mlops.registry.deployment-changed', deploymentChanged(model, i + 1, 1, new Date()), { source: 'registry' }),
      );
      // Every event reaches two replicas at once, as after a rebalance, and one of them again later.
      await Promise.all(events.flatMap((event, i) => [appenders[i % 3].execute(event), appenders[(i + 1) % 3].execute(event)]));
      await Promise.all(events.map((event, i) => appenders[(i + 2) % 3].execute(event)));
    } finally {
      await Promise.all(replicas.map((dataSource) => dataSource.destroy()));
    }
    const { rows } = await governance.db.query<{ seq: string; n: string }>(
      `SELECT count(*) AS n, count(DISTINCT event_id) AS seq FROM governance.audit_trail`,
    );
    expect(Number(rows[0].n)).toBe(Number(rows[0].seq));
    const result = await verify();
    expect(result).toMatchObject({ valid: true, brokenLinks: 0 });
    expect(result.entriesChecked).toBe(Number(rows[0].n));
    expect(result.head.seq).toBe(result.entriesChecked);
  });

  it('chains a redelivered event once and counts redelivered predictions once, copying none of them', async () => {
    const model = uniqueName('redelivery-');
    const registered = await governance.publish('mlops.registry.version-registered', versionRegistered(model, 1));
    for (let i = 0; i < 5; i++) await governance.publish('mlops.predictions.logged', predictionLogged(model));
    await governance.publish('mlops.registry.version-registered', versionRegistered(model, 1), { id: registered.id });
    const predictions = eventType('mlops.predictions.logged');
    const countOf = async () => {
      const res = await governance.api().auditCounts({ query: { model } });
      return res.items.filter((c) => c.eventType === predictions).reduce((sum, c) => sum + c.events, 0);
    };
    await waitFor('5 predictions counted', async () => (await countOf()) === 5);

    await waitFor('the version chained', async () => (await governance.api().listAuditEntries({ query: { subject: model } })).items.length === 1);

    await governance.redeliverFromStart(['mlops.predictions.logged', 'mlops.registry.version-registered']);
    expect(await countOf()).toBe(5);
    const chained = await governance.api().listAuditEntries({ query: { subject: model, limit: 1000 } });
    expect(chained.items.map((e) => [e.eventType, e.eventId])).toEqual([[eventType('mlops.registry.version-registered'), registered.id]]);
    expect(await verify()).toMatchObject({ valid: true });
  });

  it('exports JSON Lines from which the chain verifies offline', async () => {
    const res = await governance.api().exportAuditTrail();
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await res.text()).trimEnd().split('\n');
    const verifier = new ChainVerifier();
    for (const line of lines) {
      const entry = JSON.parse(line) as AuditEntry;
      expect(line).toBe(canonicalJson(entry));
      verifier.feed(entry);
    }
    const head = (await verify()).head;
    expect(verifier.finish(head)).toMatchObject({ entriesChecked: head.seq, brokenLinks: 0 });
    const rest = await governance.api().exportAuditTrail({ query: { after: head.seq - 1 } });
    expect((await rest.text()).trimEnd().split('\n')).toHaveLength(1);
    expect((await governance.call<{ message: string[] }>('GET', '/audit/export?after=-1')).body.message).toEqual(['query.after: must be a whole number']);
  });

  describe('rows changed behind its back, directly in Postgres', () => {
    const sql = (text: string, params: unknown[] = []) => governance.db.query(text, params);
    let entries: AuditEntry[];

    beforeAll(async () => {
      const model = uniqueName('tamper-');
      const recordAuditEntry = governance.app.get(RecordAuditEntry);
      for (let revision = 1; revision <= 4; revision++) {
        await recordAuditEntry.execute(createEvent('mlops.registry.deployment-changed', deploymentChanged(model, revision, revision, new Date()), { source: 'registry' }));
      }
      entries = (await governance.api().listAuditEntries({ query: { subject: model } })).items;
      expect(entries).toHaveLength(4);
      expect(await verify()).toMatchObject({ valid: true });
    });

    afterEach(async () => {
      expect(await verify()).toMatchObject({ valid: true, firstBrokenLink: null });
    });

    it('names an altered row', async () => {
      const { seq } = entries[1];
      await sql(`UPDATE governance.audit_trail SET data = jsonb_set(data, '{changedBy}', '"mallory"') WHERE seq = $1`, [seq]);
      expect(await verify()).toMatchObject({ valid: false, firstBrokenLink: { seq, kind: 'content-altered' } });
      await sql(`UPDATE governance.audit_trail SET data = jsonb_set(data, '{changedBy}', '"ops"') WHERE seq = $1`, [seq]);
    });

    it('names a deleted row', async () => {
      const { seq } = entries[1];
      const saved = await sql('SELECT * FROM governance.audit_trail WHERE seq = $1', [seq]);
      await sql('DELETE FROM governance.audit_trail WHERE seq = $1', [seq]);
      expect(await verify()).toMatchObject({ valid: false, firstBrokenLink: { seq, kind: 'missing-entries' } });
      const row = saved.rows[0] as Record<string, unknown>;
      const columns = Object.keys(row);
      await sql(
        `INSERT INTO governance.audit_trail (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => (c === 'data' ? JSON.stringify(row[c]) : row[c])),
      );
    });

    it('names the first of two reordered rows', async () => {
      const [a, b] = [entries[1].seq, entries[2].seq];
      const swap = async () => {
        await sql('UPDATE governance.audit_trail SET seq = -1 WHERE seq = $1', [a]);
        await sql('UPDATE governance.audit_trail SET seq = $1 WHERE seq = $2', [a, b]);
        await sql('UPDATE governance.audit_trail SET seq = $1 WHERE seq = -1', [b]);
      };
      await sql('ALTER TABLE governance.audit_trail DROP CONSTRAINT audit_trail_seq_check');
      try {
        await swap();
        expect(await verify()).toMatchObject({ valid: false, firstBrokenLink: { seq: a, kind: 'content-altered' } });
        await swap();
      } finally {
        await sql('ALTER TABLE governance.audit_trail ADD CONSTRAINT audit_trail_seq_check CHECK (seq > 0)');
      }
    });

    it('names the link after a row whose hashes were recomputed to hide an edit', async () => {
      const [entry] = entries.slice(1, 2);
      const forged = chain({ ...contentOf(entry), data: { ...(entry.data as object), changedBy: 'mallory' } }, entry.previousSha256);
      const rewrite = (e: AuditEntry) =>
        sql(`UPDATE governance.audit_trail SET data = $2, content_sha256 = $3, entry_sha256 = $4 WHERE seq = $1`, [e.seq, JSON.stringify(e.data), e.contentSha256, e.entrySha256]);
      await rewrite(forged);
      expect(await verify()).toMatchObject({ valid: false, firstBrokenLink: { seq: entry.seq + 1, kind: 'link-broken' } });
      await rewrite(entry);
    });
  });
});
