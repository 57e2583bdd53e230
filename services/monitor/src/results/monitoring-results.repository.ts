import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DriftWindowResult, PerformanceWindowResult, RolloutVerdictRecord } from '@mlops/contracts';

export interface HistoryQuery {
  modelName: string;
  version?: number;
  limit: number;
}

interface PerformanceRow {
  window_id: string;
  model_name: string;
  version: number;
  role: PerformanceWindowResult['role'];
  from_ts: Date;
  to_ts: Date;
  rows: string;
  estimated: PerformanceWindowResult['estimated'];
  realised: PerformanceWindowResult['realised'];
  labelled: number;
  joinable: number;
  baseline: PerformanceWindowResult['baseline'];
}

/** What the stream concluded per window (drift, performance) and per rollout evaluation, for the API and reports. */
@Injectable()
export class MonitoringResultsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async saveDrift(manager: EntityManager, result: DriftWindowResult): Promise<void> {
    await manager.query(
      `INSERT INTO monitor.drift_results (window_id, model_name, version, role, from_ts, to_ts, rows, result, drifted, evaluated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (window_id) DO NOTHING`,
      [result.windowId, result.modelName, result.version, result.role, result.window.from, result.window.to, result.rows, JSON.stringify(result), result.drifted, result.evaluatedAt],
    );
  }

  async saveEstimated(manager: EntityManager, result: PerformanceWindowResult, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO monitor.performance_results (window_id, model_name, version, role, from_ts, to_ts, rows, estimated, joinable, baseline, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (window_id) DO NOTHING`,
      [result.windowId, result.modelName, result.version, result.role, result.window.from, result.window.to, result.rows,
        JSON.stringify(result.estimated), 0, JSON.stringify(result.baseline), at],
    );
  }

  async saveRealised(manager: EntityManager, windowId: string, realised: Record<string, number>, labelled: number, joinable: number, at: Date): Promise<void> {
    await manager.query(
      `UPDATE monitor.performance_results SET realised = $2, labelled = $3, joinable = $4, updated_at = $5 WHERE window_id = $1`,
      [windowId, JSON.stringify(realised), labelled, joinable, at],
    );
  }

  async saveVerdict(manager: EntityManager, verdict: RolloutVerdictRecord): Promise<void> {
    await manager.query(
      `INSERT INTO monitor.rollout_verdicts (model_name, champion_version, challenger_version, verdict, reason, evidence, from_ts, to_ts, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [verdict.modelName, verdict.championVersion, verdict.challengerVersion, verdict.verdict, verdict.reason, JSON.stringify(verdict.evidence), verdict.window.from, verdict.window.to, verdict.decidedAt],
    );
  }

  async drift(query: HistoryQuery): Promise<DriftWindowResult[]> {
    const rows: { result: unknown }[] = await this.dataSource.query(
      `SELECT result FROM monitor.drift_results WHERE model_name = $1 AND ($2::int IS NULL OR version = $2) ORDER BY evaluated_at DESC, window_id DESC LIMIT $3`,
      [query.modelName, query.version ?? null, query.limit],
    );
    return rows.map((r) => DriftWindowResult.parse(r.result));
  }

  async performance(query: HistoryQuery): Promise<PerformanceWindowResult[]> {
    const rows: PerformanceRow[] = await this.dataSource.query(
      `SELECT * FROM monitor.performance_results WHERE model_name = $1 AND ($2::int IS NULL OR version = $2) ORDER BY from_ts DESC, window_id DESC LIMIT $3`,
      [query.modelName, query.version ?? null, query.limit],
    );
    return rows.map((r) => ({
      windowId: r.window_id,
      modelName: r.model_name,
      version: r.version,
      role: r.role,
      window: { from: r.from_ts.toISOString(), to: r.to_ts.toISOString() },
      rows: Number(r.rows),
      estimated: r.estimated,
      realised: r.realised,
      labelled: r.labelled,
      labelJoinRate: r.joinable > 0 ? r.labelled / r.joinable : 0,
      baseline: r.baseline,
    }));
  }

  async verdicts(query: HistoryQuery): Promise<RolloutVerdictRecord[]> {
    const rows: { model_name: string; champion_version: number; challenger_version: number; verdict: RolloutVerdictRecord['verdict']; reason: string; evidence: RolloutVerdictRecord['evidence']; from_ts: Date; to_ts: Date; decided_at: Date }[] =
      await this.dataSource.query(`SELECT * FROM monitor.rollout_verdicts WHERE model_name = $1 ORDER BY decided_at DESC, id DESC LIMIT $2`, [query.modelName, query.limit]);
    return rows.map((r) => ({
      modelName: r.model_name,
      championVersion: r.champion_version,
      challengerVersion: r.challenger_version,
      verdict: r.verdict,
      reason: r.reason,
      evidence: r.evidence,
      window: { from: r.from_ts.toISOString(), to: r.to_ts.toISOString() },
      decidedAt: r.decided_at.toISOString(),
    }));
  }
}
