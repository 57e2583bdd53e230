import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createHttpClient, HttpCallError, type HttpClient, registryRoutes, unlessNotFound } from '@mlops/contracts';
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

/**
 * The registry's HTTP API, as far as the trainer needs it: which version is a model's champion, and its ONNX
 * verified by sha256. The champion is what serves the model's traffic (the current deployment); a model that
 * is not deployed but has a `champion` alias uses that. An unreachable registry or a 5xx is transient: the
 * request is retried rather than completed without the comparison governance relies on.
 */
@Injectable()
export class RegistryClient {
  private readonly registry: HttpClient<typeof registryRoutes>;

  constructor(@Inject(TRAINER_CONFIG) config: TrainerConfig, @Inject(SERVICE_API_KEY) apiKey: string) {
    this.registry = createHttpClient(registryRoutes, { baseUrl: config.registryUrl, apiKey });
  }

  async champion(modelName: string): Promise<ChampionArtifact | null> {
    const params = { name: modelName };
    const serving = await transient(unlessNotFound(this.registry.deploymentHistory({ params, query: { at: new Date().toISOString() } })));
    const deployed = serving?.items[0]?.champion;
    if (deployed) return this.download(modelName, deployed.version, deployed.artifact.sha256, 'deployment');
    const aliases = await transient(unlessNotFound(this.registry.listAliases({ params })));
    const alias = aliases?.items.find((a) => a.alias === 'champion');
    if (!alias) return null;
    const version = await transient(unlessNotFound(this.registry.getVersion({ params: { name: modelName, version: alias.version } })));
    if (!version) return null;
    return this.download(modelName, alias.version, version.artifact.sha256, 'alias');
  }

  private async download(modelName: string, version: number, sha256: string, source: ChampionSource): Promise<ChampionArtifact> {
    let response: Response;
    try {
      response = await this.registry.downloadArtifact({ params: { name: modelName, version } });
    } catch (err) {
      if (err instanceof HttpCallError && err.status === 502) {
        return { version, source, sha256, onnx: null, integrityProblem: `the registry reports its artifact failed the integrity check: ${err.reason}` };
      }
      throw asTransient(err);
    }
    const onnx = new Uint8Array(await response.arrayBuffer());
    const actual = createHash('sha256').update(onnx).digest('hex');
    if (actual !== sha256) {
      return { version, source, sha256, onnx: null, integrityProblem: `the downloaded artifact has sha256 ${actual}, the registry recorded ${sha256}` };
    }
    return { version, source, sha256, onnx };
  }
}

/** Any failure to ask the registry is retried: it is the registry's state, not the request, that is wrong. */
async function transient<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    throw asTransient(err);
  }
}

const asTransient = (err: unknown) => new TransientTrainingFailure(`registry: ${(err as Error).message}`);
