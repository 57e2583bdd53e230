import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HourlyEventCount } from '@mlops/contracts';
import { AUDIT_TABLES } from '../audit-log/audit-tables';

export interface CountedRecord {
  topic: string;
  partition: number;
  offset: string;
  modelName: string;
  eventType: string;
  time: Date;
}

export interface CountsQuery {
  modelName?: string;
  from?: Date;
  to?: Date;
}

/**
 * Hourly counts kept exactly once per Kafka record without a row per record: the count and the partition's last
 * counted offset change in one transaction, and a record at or below that offset was counted already.
 */
@Injectable()
export class HourlyCountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  countOnce(record: CountedRecord): Promise<boolean> {
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      await manager.query(
        `INSERT INTO ${AUDIT_TABLES.countedOffsets} (topic, partition, last_offset) VALUES ($1, $2, -1) ON CONFLICT DO NOTHING`,
        [record.topic, record.partition],
      );
      const [position]: { last_offset: string }[] = await manager.query(
        `SELECT last_offset FROM ${AUDIT_TABLES.countedOffsets} WHERE topic = $1 AND partition = $2 FOR UPDATE`,
        [record.topic, record.partition],
      );
      if (BigInt(record.offset) <= BigInt(position.last_offset)) return false;
      await manager.query(
        `INSERT INTO ${AUDIT_TABLES.hourlyCounts} (model_name, event_type, hour, events)
         VALUES ($1, $2, date_trunc('hour', $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 1)
         ON CONFLICT (model_name, event_type, hour) DO UPDATE SET events = ${AUDIT_TABLES.hourlyCounts}.events + 1`,
        [record.modelName, record.eventType, record.time],
      );
      await manager.query(`UPDATE ${AUDIT_TABLES.countedOffsets} SET last_offset = $3 WHERE topic = $1 AND partition = $2`, [
        record.topic,
        record.partition,
        record.offset,
      ]);
      return true;
    });
  }

  async counts(query: CountsQuery): Promise<HourlyEventCount[]> {
    const rows: { model_name: string; event_type: string; hour: Date; events: string }[] = await this.dataSource.query(
      `SELECT model_name, event_type, hour, events FROM ${AUDIT_TABLES.hourlyCounts}
       WHERE ($1::text IS NULL OR model_name = $1) AND ($2::timestamptz IS NULL OR hour >= $2) AND ($3::timestamptz IS NULL OR hour < $3)
       ORDER BY hour, model_name, event_type`,
      [query.modelName ?? null, query.from ?? null, query.to ?? null],
    );
    return rows.map((row) => ({ modelName: row.model_name, eventType: row.event_type, hour: row.hour.toISOString(), events: Number(row.events) }));
  }

  /** Records of one type about one model in all, e.g. how many predictions were logged for it. */
  async total(modelName: string, eventType: string): Promise<number> {
    const [row]: { total: string | null }[] = await this.dataSource.query(
      `SELECT sum(events) AS total FROM ${AUDIT_TABLES.hourlyCounts} WHERE model_name = $1 AND event_type = $2`,
      [modelName, eventType],
    );
    return Number(row.total ?? 0);
  }
}
