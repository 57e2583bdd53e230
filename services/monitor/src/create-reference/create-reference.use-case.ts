import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CreateReferenceRequest, ReferenceSummary } from '@mlops/contracts';
import { buildReferenceProfile, featureMatrixColumns, InvalidTrainingData, ProfileInput, readParquetDataset, withHoldoutCalibration } from '@mlops/ml';
import { BUCKETS, IntegrityError, ObjectStore } from '@mlops/storage';
import { realisedMetrics } from '../performance/realised-metrics';
import { MonitoredModels } from '../references/monitored-models';
import { referenceSummary, ReferenceRepository } from '../references/reference.repository';

/**
 * A reference for a model trained outside the platform, profiled from a Parquet dataset snapshot the way the trainer
 * profiles its training data. With a prediction column and a label column the rows are also the labelled set CBPE is
 * calibrated on, and their metrics the baseline (they must be rows the model was not trained on).
 */
@Injectable()
export class CreateReference {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly references: ReferenceRepository,
    private readonly models: MonitoredModels,
  ) {}

  async execute(request: CreateReferenceRequest): Promise<ReferenceSummary> {
    const bytes = await this.readSnapshot(request.dataset);
    const extra = request.predictionColumn ? [request.predictionColumn] : [];
    // The reader wants a label column; without one the first feature stands in and is not used.
    const dataset = await readParquetDataset(bytes, { featureColumns: [...request.features, ...extra], labelColumn: request.labelColumn ?? request.features[0] }).catch((error: unknown) => {
      if (error instanceof InvalidTrainingData) throw new UnprocessableEntityException(`dataset ${request.dataset.uri}: ${error.message}`);
      throw error;
    });
    const columns = featureMatrixColumns(dataset.features);
    const features = columns.slice(0, request.features.length);
    const prediction = request.predictionColumn ? (columns[request.features.length].values as Float64Array) : null;
    const classifier = prediction !== null && request.labelColumn !== undefined && Array.from(dataset.labels).every((l) => l === 0 || l === 1);
    const predictions: ProfileInput[] = prediction ? [{ name: classifier ? 'probability' : 'prediction', kind: 'numeric', values: prediction }] : [];
    let profile = buildReferenceProfile(features, predictions);
    if (classifier && prediction) profile = withHoldoutCalibration(profile, dataset.labels, prediction);
    const baseline = prediction && request.labelColumn ? realisedMetrics(classifier ? 'classification' : 'regression', Array.from(dataset.labels), Array.from(prediction)) : {};
    const stored = await this.store.putBuffer(BUCKETS.reports, `monitor/references/${request.modelName}/${request.version}.json`, Buffer.from(JSON.stringify(profile)), { contentType: 'application/json' });
    const reference = {
      modelName: request.modelName, version: request.version, source: 'dataset' as const, profileUri: stored.uri, profile, baseline,
      task: classifier ? ('classification' as const) : ('regression' as const),
    };
    const saved = await this.dataSource.transaction((manager) => this.references.save(manager, reference));
    this.models.setReference(saved);
    return referenceSummary(saved);
  }

  /** A snapshot that is not there, or not the one named by its hash, is the caller's to fix: 422 naming the field. */
  private async readSnapshot(dataset: CreateReferenceRequest['dataset']): Promise<Buffer> {
    try {
      return dataset.sha256 ? await this.store.readVerified(dataset.uri, dataset.sha256) : await this.store.read(dataset.uri);
    } catch (error) {
      if (error instanceof IntegrityError) throw new UnprocessableEntityException(`body.dataset.sha256: ${error.message}`);
      const code = (error as { code?: string }).code;
      if (code === 'NoSuchKey' || code === 'NoSuchBucket') throw new UnprocessableEntityException(`body.dataset.uri: no such object ${dataset.uri}`);
      // The monitor's object-store user reads the feature store's snapshots (feature-store/ in mlops-datasets) and no other prefix.
      if (code === 'AccessDenied') throw new UnprocessableEntityException(`body.dataset.uri: the monitor may not read ${dataset.uri}; datasets are read from s3://mlops-datasets/feature-store/`);
      throw error;
    }
  }
}
