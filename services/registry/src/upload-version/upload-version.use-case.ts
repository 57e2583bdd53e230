import { Inject, Injectable, NotFoundException, PayloadTooLargeException, UnprocessableEntityException } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Counter, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { ModelSignature } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { InvalidOnnxModel, inspectOnnxModel } from '@mlops/ml';
import { metricName } from '@mlops/observability';
import { BUCKETS, ObjectStore, ObjectTooLargeError } from '@mlops/storage';
import { RegisteredModelRepository } from '../models/registered-model.repository';
import type { ModelVersion } from '@mlops/contracts';
import { ModelVersionRepository } from '../model-versions/model-version.repository';
import { VersionMetrics } from '../model-versions/version-metrics';
import { versionRegisteredEvent } from '../model-versions/version-registered-event';
import { REGISTRY_CONFIG, RegistryConfig } from '../registry.config';
import { SizeLimit } from './size-limit';

export interface UploadDetails {
  metrics: Record<string, number>;
  params: Record<string, string | number | boolean>;
  tags: Record<string, string>;
  /** The authenticated caller, when the API key guard established one. */
  registeredBy: string | null;
}

export const artifactKey = (modelName: string, version: number) => `models/${modelName}/${version}/model.onnx`;

/**
 * A model someone brings: the body streams to a scratch file (never held whole while it arrives), is checked to be
 * an ONNX model the platform can serve, then streams to MinIO under the version number it gets. The number is taken
 * under the model's row lock, held until the row and its `version-registered` event commit, so concurrent uploads
 * of one model get consecutive numbers; a file that is not a valid model creates no version at all.
 */
@Injectable()
export class UploadVersion {
  private readonly uploadedBytes: Counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly models: RegisteredModelRepository,
    private readonly versions: ModelVersionRepository,
    private readonly outbox: OutboxWriter,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    metrics: Registry,
    private readonly versionMetrics: VersionMetrics,
  ) {
    this.uploadedBytes = new Counter({
      name: metricName('registry', 'artifact_uploaded_bytes_total'),
      help: 'Bytes of model artifacts stored in object storage by uploads',
      registers: [metrics],
    });
  }

  async execute(modelName: string, body: Readable, details: UploadDetails): Promise<ModelVersion> {
    if (!(await this.models.find(modelName))) throw new NotFoundException(`model ${modelName} does not exist`);
    const scratch = await mkdtemp(join(tmpdir(), 'mlops-registry-upload-'));
    const file = join(scratch, 'model.onnx');
    try {
      await this.receive(body, file);
      const signature = await this.inspect(file);
      return await this.register(modelName, file, signature, details);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private async receive(body: Readable, file: string): Promise<void> {
    try {
      await pipeline(body, new SizeLimit(this.config.maxArtifactBytes), createWriteStream(file));
    } catch (err) {
      if (err instanceof ObjectTooLargeError) {
        throw new PayloadTooLargeException(`artifact is larger than the limit of ${err.limitBytes} bytes (MLOPS_REGISTRY_MAX_ARTIFACT_BYTES)`);
      }
      throw err;
    }
  }

  /** onnxruntime takes the model as bytes; it holds a model this size in memory anyway once it loads it. */
  private async inspect(file: string): Promise<ModelSignature> {
    try {
      return await inspectOnnxModel(await readFile(file));
    } catch (err) {
      if (err instanceof InvalidOnnxModel) throw new UnprocessableEntityException(err.message);
      throw err;
    }
  }

  private async register(modelName: string, file: string, signature: ModelSignature, details: UploadDetails): Promise<ModelVersion> {
    const version = await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      if (!(await this.models.lockExisting(manager, modelName))) throw new NotFoundException(`model ${modelName} does not exist`);
      const number = await this.versions.nextNumber(manager, modelName);
      const stored = await this.store.putStream(BUCKETS.artifacts, artifactKey(modelName, number), createReadStream(file), {
        contentType: 'application/octet-stream',
        maxBytes: this.config.maxArtifactBytes,
      });
      this.uploadedBytes.inc(stored.sizeBytes);
      const version = await this.versions.insertNext(manager, {
        modelName,
        status: 'READY',
        artifact: { uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes },
        signature,
        params: details.params,
        metrics: details.metrics,
        referenceProfileUri: null,
        tags: details.tags,
        registeredBy: details.registeredBy,
        lineage: { runId: null, datasetSnapshotId: null, datasetSha256: null, codeVersion: null, parentVersion: null },
      });
      await this.outbox.enqueue(manager, 'mlops.registry.version-registered', versionRegisteredEvent(version));
      return version;
    });
    this.versionMetrics.registeredFrom('upload');
    return version;
  }
}
