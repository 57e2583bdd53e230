import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ScheduledRequestTemplate, TrainingSchedule } from '@mlops/contracts';

const TABLE = 'trainer.training_schedules';

interface ScheduleRow {
  model_name: string;
  cron: string;
  request_template: ScheduledRequestTemplate;
  enabled: boolean;
  next_fire_at: Date;
  last_fired_at: Date | null;
  last_request_id: string | null;
}

export interface DueSchedule {
  modelName: string;
  cron: string;
  request: ScheduledRequestTemplate;
  dueAt: Date;
}

@Injectable()
export class TrainingScheduleRepository {
  /** Single statements go through the service's data source; the firing takes the manager of its transaction. */
  constructor(private readonly dataSource: DataSource) {}

  async upsert(
    schedule: { modelName: string; cron: string; request: ScheduledRequestTemplate; enabled: boolean; nextFireAt: Date },
  ): Promise<TrainingSchedule> {
    const rows: ScheduleRow[] = await this.dataSource.query(
      `INSERT INTO ${TABLE} (model_name, cron, request_template, enabled, next_fire_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (model_name) DO UPDATE SET cron = excluded.cron, request_template = excluded.request_template,
         enabled = excluded.enabled, next_fire_at = excluded.next_fire_at, updated_at = now()
       RETURNING *`,
      [schedule.modelName, schedule.cron, JSON.stringify(schedule.request), schedule.enabled, schedule.nextFireAt],
    );
    return toSchedule(rows[0]);
  }

  async find(modelName: string): Promise<TrainingSchedule | null> {
    const rows: ScheduleRow[] = await this.dataSource.query(`SELECT * FROM ${TABLE} WHERE model_name = $1`, [modelName]);
    return rows.length > 0 ? toSchedule(rows[0]) : null;
  }

  async list(): Promise<TrainingSchedule[]> {
    const rows: ScheduleRow[] = await this.dataSource.query(`SELECT * FROM ${TABLE} ORDER BY model_name`);
    return rows.map(toSchedule);
  }

  async remove(modelName: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`DELETE FROM ${TABLE} WHERE model_name = $1 RETURNING model_name`, [modelName]);
    return rows.length > 0;
  }

  /** Locks due schedules; rows another instance holds are skipped, so each firing happens once. */
  async lockDue(manager: EntityManager, now: Date, limit: number): Promise<DueSchedule[]> {
    const rows: ScheduleRow[] = await manager.query(
      `SELECT * FROM ${TABLE} WHERE enabled AND next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((row) => ({ modelName: row.model_name, cron: row.cron, request: row.request_template, dueAt: row.next_fire_at }));
  }

  /** Moves a schedule to its next slot without a firing. */
  async markSkipped(manager: EntityManager, modelName: string, nextFireAt: Date): Promise<void> {
    await manager.query(`UPDATE ${TABLE} SET next_fire_at = $2, updated_at = now() WHERE model_name = $1`, [modelName, nextFireAt]);
  }

  async markFired(manager: EntityManager, modelName: string, firedAt: Date, requestId: string, nextFireAt: Date): Promise<void> {
    await manager.query(
      `UPDATE ${TABLE} SET last_fired_at = $2, last_request_id = $3, next_fire_at = $4, updated_at = now() WHERE model_name = $1`,
      [modelName, firedAt, requestId, nextFireAt],
    );
  }
}

function toSchedule(row: ScheduleRow): TrainingSchedule {
  return {
    modelName: row.model_name,
    cron: row.cron,
    request: row.request_template,
    enabled: row.enabled,
    nextFireAt: row.next_fire_at.toISOString(),
    lastFiredAt: row.last_fired_at?.toISOString() ?? null,
    lastRequestId: row.last_request_id,
  };
}
