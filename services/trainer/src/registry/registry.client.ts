import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { bearer } from '@mlops/auth';
import { SERVICE_API_KEY } from '@mlops/service-kit';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { TransientTrainingFailure } from '../train-on-request/training-failures';

/** Where the champion came from: the version serving as the deployment's champion, else the `champion` alias. */
export type ChampionSource = 'deployment' | 'alias';

export interface ChampionArtifact {
  version: number;
  source: ChampionSource;
  sha256: string;
  /** Null when the registry's bytes do not match its recorded sha256 (the reason says so). */
  onnx: Uint8Array | null;
  integrityProblem?: string;
}

interface ServedVersion {
  version: number;
  artifact: { sha256: string };
}

/**
 * The registry's HTTP API, as far as the trainer needs it: which version is a model's champion, and its ONNX
 * verified by sha256. The champion is what serves the model's traffic (the current deployment); a model that
 * is not deployed but has a `champion` alias uses that. An unreachable registry or a 5xx is transient: the
 * request is retried rather than completed without the comparison governance relies on.
 */
@Injectable()
export class RegistryClient {
  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    @Inject(SERVICE_API_KEY) private readonly apiKey: string,
  ) {}

  async champion(modelName: string): Promise<ChampionArtifact | null> {
    const name = encodeURIComponent(modelName);
    const serving = await this.getJson<{ items: { champion: ServedVersion | null }[] }>(
      `/models/${name}/deployments/history?at=${encodeURIComponent(new Date().toISOString())}`,
    );
    const deployed = serving?.items[0]?.champion;
    if (deployed) return this.download(modelName, deployed.version, deployed.artifact.sha256, 'deployment');
    const aliases = await this.getJson<{ items: { alias: string; version: number }[] }>(`/models/${name}/aliases`);
    const alias = aliases?.items.find((a) => a.alias === 'champion');
    if (!alias) return null;
    const version = await this.getJson<ServedVersion>(`/models/${name}/versions/${alias.version}`);
    if (!version) return null;
    return this.download(modelName, alias.version, version.artifact.sha256, 'alias');
  }

  private async download(modelName: string, version: number, sha256: string, source: ChampionSource): Promise<ChampionArtifact> {
    const response = await this.fetch(`/models/${encodeURIComponent(modelName)}/versions/${version}/artifact`);
    if (response.status === 502) {
      return { version, source, sha256, onnx: null, integrityProblem: `the registry reports its artifact failed the integrity check: ${await response.text()}` };
    }
    if (!response.ok) throw new TransientTrainingFailure(`registry answered ${response.status} to the artifact of ${modelName} v${version}`);
    const onnx = new Uint8Array(await response.arrayBuffer());
    const actual = createHash('sha256').update(onnx).digest('hex');
    if (actual !== sha256) {
      return { version, source, sha256, onnx: null, integrityProblem: `the downloaded artifact has sha256 ${actual}, the registry recorded ${sha256}` };
    }
    return { version, source, sha256, onnx };
  }

  /** The parsed body, or undefined on 404 (no such model, nothing deployed). */
  private async getJson<T>(path: string): Promise<T | undefined> {
    const response = await this.fetch(path);
    if (response.status === 404) return undefined;
    const text = await response.text();
    if (!response.ok) throw new TransientTrainingFailure(`registry answered ${response.status} to GET ${path}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  private async fetch(path: string): Promise<Response> {
    try {
      return await fetch(`${this.config.registryUrl}${path}`, { headers: bearer(this.apiKey) });
    } catch (err) {
      throw new TransientTrainingFailure(`registry at ${this.config.registryUrl} is unreachable: ${(err as Error).message}`);
    }
  }
}
