import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { DataSource } from 'typeorm';
import type { DatasetSnapshot } from '@mlops/contracts';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { FEATURE_STORE_CONFIG, FeatureStoreConfig } from '../config/feature-store.config';
import { entityKeyOf } from '../definitions/entity-key';
import { FeatureCatalog, ResolvedFeature, UnknownFeatureError } from '../definitions/feature-catalog';
import type { FeatureViewVersion } from '../definitions/feature-definitions';
import { FeatureValue, PointInTimeLookup } from '../storage/point-in-time-lookup';
import { columnValues, DatasetColumn, datasetSchema, InvalidColumnValue, openDatasetWriter } from './dataset-parquet';
import { LabelFeatureSource, LabelHistoryReader, labelSetFromHistory } from './label-history';
import { InvalidLabelSetError, LabelColumns, LabelSet, labelSetFromCsv, labelSetFromRows } from './label-set';

export interface DatasetRequest extends Omit<LabelColumns, 'joinKeys'> {
  features: string[];
  entityRows?: Record<string, unknown>[];
  entitySource?: { uri: string; sha256: string };
  labelFeature?: LabelFeatureSource;
}

export type { DatasetSnapshot };

/**
 * A point-in-time correct training set: each label row gets, per view, the newest value at or before its
 * timestamp and within the view's TTL. Rows keep the input order, so the Parquet bytes (and the sha256) depend
 * only on the inputs and the stored history.
 */
@Injectable()
export class BuildDataset {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: FeatureCatalog,
    private readonly lookup: PointInTimeLookup,
    private readonly labelHistory: LabelHistoryReader,
    private readonly store: ObjectStore,
    @Inject(FEATURE_STORE_CONFIG) private readonly config: FeatureStoreConfig,
  ) {}

  async execute(request: DatasetRequest): Promise<DatasetSnapshot> {
    await this.catalog.refresh();
    const features = request.features.map((ref, i) => this.resolve(ref, `features.${i}`));
    const views = uniqueViews(features);
    const joinKeys = joinKeyColumns(views);
    const columns = { ...request, joinKeys: joinKeys.map((k) => k.name) };
    const labels = await this.labelSet(request, columns);
    if (labels.timestamps.length === 0) throw new InvalidLabelSetError('the entity set has no rows');
    const datasetColumns = this.columns(request, joinKeys, features);
    const stored = await this.writeParquet(labels, views, features, joinKeys, datasetColumns);
    const snapshot: DatasetSnapshot = {
      snapshotId: randomUUID(),
      uri: stored.uri,
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      rows: labels.timestamps.length,
      schema: datasetSchema(datasetColumns),
      featureViews: [...new Map(features.map((f) => [`${f.view.name}@${f.view.version}`, { name: f.view.name, version: f.view.version }])).values()],
      timeRange: timeRange(labels.timestamps),
      createdAt: new Date().toISOString(),
    };
    await this.record(snapshot, request);
    return snapshot;
  }

  private resolve(ref: string, where: string): ResolvedFeature {
    try {
      return this.catalog.resolve(ref);
    } catch (err) {
      if (err instanceof UnknownFeatureError) throw new InvalidLabelSetError(`${where}: ${err.message}`);
      throw err;
    }
  }

  private async labelSet(request: DatasetRequest, columns: LabelColumns): Promise<LabelSet> {
    if (request.entitySource) {
      const csv = await this.store.readVerified(request.entitySource.uri, request.entitySource.sha256);
      return labelSetFromCsv(csv.toString('utf8'), columns);
    }
    if (request.labelFeature) {
      const { ref, from, to } = request.labelFeature;
      const label = this.resolve(ref, 'labelFeature.ref');
      return labelSetFromHistory(await this.labelHistory.read(label.view.name, label.field.name, from, to), label, columns);
    }
    return labelSetFromRows(request.entityRows ?? [], columns);
  }

  private columns(request: DatasetRequest, joinKeys: FeatureViewVersion['joinKeys'], features: ResolvedFeature[]): DatasetColumn[] {
    const columns: DatasetColumn[] = [
      ...joinKeys.map((k) => ({ name: k.name, type: k.type, optional: false })),
      { name: request.timestampField, type: 'timestamp', optional: false },
      { name: request.labelField, type: request.labelType, optional: true },
      ...features.map((f) => ({ name: `${f.view.name}__${f.field.name}`, type: f.field.type, optional: true })),
    ];
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column.name)) throw new InvalidLabelSetError(`column ${column.name} would appear twice in the dataset`);
      seen.add(column.name);
    }
    return columns;
  }

  private async writeParquet(
    labels: LabelSet,
    views: FeatureViewVersion[],
    features: ResolvedFeature[],
    joinKeys: FeatureViewVersion['joinKeys'],
    columns: DatasetColumn[],
  ) {
    const entityKeys = views.map((view) =>
      labels.timestamps.map((_, i) => {
        const key = entityKeyOf(view.joinKeys, (name) => labels.keys.get(name)?.[i]);
        if ('reason' in key) throw new InvalidLabelSetError(`entity row ${i + 1}: ${key.reason}`);
        return key.key;
      }),
    );
    const out = new PassThrough();
    const upload = this.store.putContentAddressed(BUCKETS.datasets, 'feature-store/datasets', out, { contentType: 'application/vnd.apache.parquet' });
    // If the upload fails first the writer must stop too, or it would wait on a stream nobody reads.
    upload.catch((err: Error) => out.destroy(err));
    try {
      const writer = openDatasetWriter(columns, out);
      const total = labels.timestamps.length;
      const chunk = this.config.datasetChunkRows;
      const starts = Array.from({ length: Math.ceil(total / chunk) }, (_, i) => i * chunk);
      const fields = views.map((view) => features.filter((f) => f.view.name === view.name).map((f) => f.field.name));
      // Views one after the other within a chunk: chunks in flight x 1 is what this takes from the connection pool.
      const fetchChunk = async (start: number) => {
        const times = labels.timestamps.slice(start, start + chunk).map((t) => t.toISOString());
        const results: (FeatureValue[] | null)[][] = [];
        for (const [v, view] of views.entries()) {
          const ttl = (this.catalog.view(view.name) ?? view).definition.ttlSeconds;
          results.push(await this.lookup.lookup(view.name, ttl, fields[v], entityKeys[v].slice(start, start + chunk), times));
        }
        return results;
      };
      // A window of chunks in flight, consumed in order so rows keep the input order.
      const inFlight = starts.slice(0, this.config.datasetParallelism).map(fetchChunk);
      for (let c = 0; c < starts.length; c++) {
        const results = await inFlight[c];
        const next = c + this.config.datasetParallelism;
        if (next < starts.length) inFlight.push(fetchChunk(starts[next]));
        await this.appendRows(writer, labels, starts[c], results, fields, views, features, joinKeys, columns);
        delete inFlight[c];
      }
      await writer.close();
    } catch (err) {
      out.destroy(err as Error);
      await upload.catch(() => undefined);
      throw err;
    }
    return upload;
  }

  /** One chunk of rows, column by column: the writer takes typed arrays, not row objects. */
  private async appendRows(
    writer: ReturnType<typeof openDatasetWriter>,
    labels: LabelSet,
    start: number,
    results: (FeatureValue[] | null)[][],
    fields: string[][],
    views: FeatureViewVersion[],
    features: ResolvedFeature[],
    joinKeys: FeatureViewVersion['joinKeys'],
    columns: DatasetColumn[],
  ): Promise<void> {
    const viewIndex = new Map(views.map((v, i) => [v.name, i]));
    const count = results[0]?.length ?? 0;
    // Keys, times and labels are the caller's: a value that does not fit its column is a bad request.
    const fromLabels = (column: DatasetColumn, valueAt: (row: number) => unknown) => {
      try {
        return columnValues(column, count, valueAt);
      } catch (err) {
        if (err instanceof InvalidColumnValue) throw new InvalidLabelSetError(`entity row ${start + err.row + 1}: ${err.message}`);
        throw err;
      }
    };
    const data = [
      ...joinKeys.map((key, k) => {
        const keys = labels.keys.get(key.name) ?? [];
        return fromLabels(columns[k], (row) => keys[start + row]);
      }),
      fromLabels(columns[joinKeys.length], (row) => labels.timestamps[start + row]),
      fromLabels(columns[joinKeys.length + 1], (row) => labels.labels[start + row]),
      ...features.map((feature, f) => {
        const v = viewIndex.get(feature.view.name) as number;
        const values = results[v];
        const at = fields[v].indexOf(feature.field.name);
        return columnValues(columns[joinKeys.length + 2 + f], count, (row) => values[row]?.[at]);
      }),
    ];
    await writer.append(count, data);
  }

  /**
   * The snapshot row is the record of the dataset; no event announces it: the caller has the snapshot in the answer,
   * and a run trained on it carries its id and sha256 in mlops.training.completed.
   */
  private async record(snapshot: DatasetSnapshot, request: DatasetRequest): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO feature_store.dataset_snapshots
         (id, uri, sha256, size_bytes, rows, schema, feature_views, time_from, time_to, request)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        snapshot.snapshotId, snapshot.uri, snapshot.sha256, snapshot.sizeBytes, snapshot.rows, JSON.stringify(snapshot.schema),
        JSON.stringify(snapshot.featureViews), snapshot.timeRange.from, snapshot.timeRange.to,
        // Inline rows can be large; the snapshot keeps how they were asked for, not the rows themselves.
        JSON.stringify({ ...request, entityRows: request.entityRows ? { count: request.entityRows.length } : undefined }),
      ],
    );
  }
}

function uniqueViews(features: ResolvedFeature[]): FeatureViewVersion[] {
  const byName = new Map<string, FeatureViewVersion>();
  for (const f of features) if (!byName.has(f.view.name)) byName.set(f.view.name, f.view);
  return [...byName.values()];
}

function joinKeyColumns(views: FeatureViewVersion[]): FeatureViewVersion['joinKeys'] {
  const keys = new Map<string, FeatureViewVersion['joinKeys'][number]>();
  for (const view of views) {
    for (const key of view.joinKeys) {
      const known = keys.get(key.name);
      if (known && known.type !== key.type) {
        throw new InvalidLabelSetError(`join key ${key.name} is ${known.type} in one view and ${key.type} in view ${view.name}`);
      }
      keys.set(key.name, key);
    }
  }
  return [...keys.values()];
}

function timeRange(timestamps: Date[]): { from: string; to: string } {
  let from = Infinity;
  let to = -Infinity;
  for (const time of timestamps) {
    from = Math.min(from, time.getTime());
    to = Math.max(to, time.getTime());
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
