import { MigrationInterface, QueryRunner } from 'typeorm';
import { eventType } from '@mlops/contracts';
import { chain, EMPTY_HEAD } from '../audit-log/audit-chain';
import { insertEntry } from '../audit-log/audit-trail';
import { contentOfRow } from '../audit-log/audit-log.repository';
import { AUDIT_TABLES, AuditRow } from '../audit-log/audit-tables';

/** The streams counted per model and hour instead of copied, as they were when this migration was written. */
const HIGH_VOLUME_TYPES = [eventType('mlops.predictions.logged'), eventType('mlops.labels.observed')];

const LEGACY_BATCH = 1000;

type LegacyRow = Omit<AuditRow, 'content_sha256' | 'previous_sha256' | 'entry_sha256'>;

/**
 * The hash-chained audit trail replaces the plain audit_log. The legacy rows move over: high-volume records are
 * folded into hourly counts, every other row is chained in its original order with its original times. The legacy
 * table itself is left in place, unread and unwritten by this code, so replicas still running the previous
 * release keep working during a rolling upgrade; a later migration drops it once none does.
 */
export class AuditChain1732300000500 implements MigrationInterface {
  name = 'AuditChain1732300000500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ${AUDIT_TABLES.trail} (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        event_id text NOT NULL UNIQUE,
        event_type text NOT NULL,
        source text NOT NULL,
        subject text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        content_sha256 text NOT NULL,
        previous_sha256 text NOT NULL,
        entry_sha256 text NOT NULL
      )`);
    await runner.query(`CREATE INDEX audit_trail_subject_type ON ${AUDIT_TABLES.trail} (subject, event_type, seq)`);
    await runner.query(`CREATE INDEX audit_trail_type ON ${AUDIT_TABLES.trail} (event_type, seq)`);
    // One row: the end of the chain, and the lock every append takes.
    await runner.query(`
      CREATE TABLE ${AUDIT_TABLES.head} (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        seq bigint NOT NULL,
        entry_sha256 text NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE ${AUDIT_TABLES.hourlyCounts} (
        model_name text NOT NULL,
        event_type text NOT NULL,
        hour timestamptz NOT NULL,
        events bigint NOT NULL CHECK (events >= 0),
        PRIMARY KEY (model_name, event_type, hour)
      )`);
    // The last offset counted per partition: a redelivered record is at or below it and is not counted again.
    await runner.query(`
      CREATE TABLE ${AUDIT_TABLES.countedOffsets} (
        topic text NOT NULL,
        partition integer NOT NULL,
        last_offset bigint NOT NULL,
        PRIMARY KEY (topic, partition)
      )`);
    const head = await this.moveLegacyLog(runner);
    await runner.query(`INSERT INTO ${AUDIT_TABLES.head} (seq, entry_sha256) VALUES ($1, $2)`, [head.seq, head.entrySha256]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [AUDIT_TABLES.countedOffsets, AUDIT_TABLES.hourlyCounts, AUDIT_TABLES.head, AUDIT_TABLES.trail]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }

  private async moveLegacyLog(runner: QueryRunner): Promise<{ seq: number; entrySha256: string }> {
    await runner.query(
      `INSERT INTO ${AUDIT_TABLES.hourlyCounts} (model_name, event_type, hour, events)
       SELECT subject, event_type, date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*)
       FROM ${AUDIT_TABLES.legacyLog} WHERE event_type = ANY($1)
       GROUP BY 1, 2, 3`,
      [HIGH_VOLUME_TYPES],
    );
    let head = EMPTY_HEAD;
    for (let after = 0; ; ) {
      const rows: LegacyRow[] = await runner.query(
        `SELECT seq, event_id, event_type, source, subject, occurred_at, recorded_at, data FROM ${AUDIT_TABLES.legacyLog}
         WHERE seq > $1 AND NOT (event_type = ANY($2)) ORDER BY seq LIMIT $3`,
        [after, HIGH_VOLUME_TYPES, LEGACY_BATCH],
      );
      if (rows.length === 0) return head;
      for (const row of rows) {
        const entry = chain({ ...contentOfRow(row), seq: head.seq + 1 }, head.entrySha256);
        await insertEntry(runner.manager, entry);
        head = { seq: entry.seq, entrySha256: entry.entrySha256 };
      }
      after = Number(rows[rows.length - 1].seq);
    }
  }
}
