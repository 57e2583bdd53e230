import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ReferenceSummary } from '@mlops/contracts';
import { ReferenceProfile } from '@mlops/ml';
import type { Task } from '../performance/realised-metrics';
import type { VersionReference } from '../stream/model-context';

export interface StoredReference extends VersionReference {
  modelName: string;
  version: number;
  source: 'trainer' | 'dataset';
  profileUri: string;
  createdAt: string;
}

interface ReferenceRow {
  model_name: string;
  version: number;
  source: 'trainer' | 'dataset';
  profile_uri: string;
  profile: unknown;
  baseline: Record<string, number>;
  task: Task;
  created_at: Date;
}

/** Reference profiles per model version, in the monitor's own schema. */
@Injectable()
export class ReferenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns the reference as stored, with the time Postgres gave it. */
  async save(manager: EntityManager, reference: Omit<StoredReference, 'createdAt'>): Promise<StoredReference> {
    const [{ created_at }]: { created_at: Date }[] = await manager.query(
      `INSERT INTO monitor.reference_profiles (model_name, version, source, profile_uri, profile, baseline, task)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (model_name, version) DO UPDATE SET source = EXCLUDED.source, profile_uri = EXCLUDED.profile_uri,
         profile = EXCLUDED.profile, baseline = EXCLUDED.baseline, task = EXCLUDED.task, created_at = now()
       RETURNING created_at`,
      [reference.modelName, reference.version, reference.source, reference.profileUri, JSON.stringify(reference.profile), JSON.stringify(reference.baseline), reference.task],
    );
    return { ...reference, createdAt: created_at.toISOString() };
  }

  async all(): Promise<StoredReference[]> {
    const rows: ReferenceRow[] = await this.dataSource.query('SELECT * FROM monitor.reference_profiles');
    return rows.map(toReference);
  }

  async ofModel(modelName: string): Promise<StoredReference[]> {
    const rows: ReferenceRow[] = await this.dataSource.query('SELECT * FROM monitor.reference_profiles WHERE model_name = $1 ORDER BY version DESC', [modelName]);
    return rows.map(toReference);
  }
}

function toReference(row: ReferenceRow): StoredReference {
  return {
    modelName: row.model_name,
    version: row.version,
    source: row.source,
    profileUri: row.profile_uri,
    profile: ReferenceProfile.parse(row.profile),
    baseline: row.baseline,
    task: row.task,
    createdAt: row.created_at.toISOString(),
  };
}

export function referenceSummary(reference: StoredReference): ReferenceSummary {
  const columns = (list: ReferenceProfile['features']) => list.map((c) => ({ name: c.name, kind: c.kind }));
  return {
    modelName: reference.modelName,
    version: reference.version,
    source: reference.source,
    profileUri: reference.profileUri,
    rowCount: reference.profile.rowCount,
    features: columns(reference.profile.features),
    predictions: columns(reference.profile.predictions),
    calibrationRows: reference.profile.holdout?.labels.length ?? 0,
    createdAt: reference.createdAt,
  };
}

/** A profile with a `probability` prediction column is a classifier's (the trainer's and POST /references' naming). */
export function taskOf(profile: ReferenceProfile): Task {
  return profile.predictions.some((p) => p.name === 'probability') || profile.holdout ? 'classification' : 'regression';
}
