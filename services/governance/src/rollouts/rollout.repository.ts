import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RolloutRecord } from '@mlops/contracts';

interface RolloutRow {
  decision_id: string;
  model_name: string;
  champion_version: number;
  challenger_version: number;
  verdict: RolloutRecord['verdict'];
  verdict_reason: string;
  action: RolloutRecord['action'];
  mode: RolloutRecord['mode'];
  status: RolloutRecord['status'];
  decided_by: string[];
  reason: string | null;
  received_at: Date;
  decided_at: Date | null;
}

export type NewRollout = Omit<RolloutRecord, 'receivedAt' | 'decidedAt'>;

const toRecord = (row: RolloutRow): RolloutRecord => ({
  decisionId: row.decision_id,
  modelName: row.model_name,
  championVersion: row.champion_version,
  challengerVersion: row.challenger_version,
  verdict: row.verdict,
  action: row.action,
  mode: row.mode,
  status: row.status,
  verdictReason: row.verdict_reason,
  decidedBy: row.decided_by,
  reason: row.reason,
  receivedAt: row.received_at.toISOString(),
  decidedAt: row.decided_at?.toISOString() ?? null,
});

/** Every rollout verdict governance received and what it made of it. */
@Injectable()
export class RolloutRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, rollout: NewRollout): Promise<void> {
    await manager.query(
      `INSERT INTO governance.rollout_decisions (decision_id, model_name, champion_version, challenger_version, verdict, verdict_reason,
         action, mode, status, decided_by, reason, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $9 = 'PendingApproval' THEN NULL ELSE now() END)`,
      [
        rollout.decisionId, rollout.modelName, rollout.championVersion, rollout.challengerVersion, rollout.verdict, rollout.verdictReason,
        rollout.action, rollout.mode, rollout.status, rollout.decidedBy, rollout.reason,
      ],
    );
  }

  async lock(manager: EntityManager, decisionId: string): Promise<RolloutRecord | null> {
    const rows: RolloutRow[] = await manager.query('SELECT * FROM governance.rollout_decisions WHERE decision_id = $1 FOR UPDATE', [decisionId]);
    return rows.length ? toRecord(rows[0]) : null;
  }

  async decide(manager: EntityManager, decisionId: string, status: RolloutRecord['status'], decidedBy: string[], reason: string): Promise<void> {
    await manager.query(
      'UPDATE governance.rollout_decisions SET status = $2, decided_by = $3, reason = $4, decided_at = now() WHERE decision_id = $1',
      [decisionId, status, decidedBy, reason],
    );
  }

  async find(decisionId: string): Promise<RolloutRecord | null> {
    const rows: RolloutRow[] = await this.dataSource.query('SELECT * FROM governance.rollout_decisions WHERE decision_id = $1', [decisionId]);
    return rows.length ? toRecord(rows[0]) : null;
  }

  async list(modelName?: string): Promise<RolloutRecord[]> {
    const rows: RolloutRow[] = await this.dataSource.query(
      `SELECT * FROM governance.rollout_decisions WHERE $1::text IS NULL OR model_name = $1 ORDER BY received_at DESC LIMIT 200`,
      [modelName ?? null],
    );
    return rows.map(toRecord);
  }
}
