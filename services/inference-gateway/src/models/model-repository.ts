import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { EventData } from '@mlops/contracts';
import { JsonLogger } from '@mlops/observability';
import { IntegrityError } from '@mlops/storage';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { LoadedModel } from './loaded-model';
import { ModelLoader, ServedVersionData } from './model-loader';

export type Deployment = EventData<'mlops.registry.deployment-changed'>;
export type ChallengerMode = 'canary' | 'shadow' | 'ab';

export interface ChallengerRoute {
  mode: ChallengerMode;
  /** Share of traffic for canary and ab; 0 for shadow, which sees every request without answering any. */
  weight: number;
  /** For ab: the request parameter or header whose value pins a caller to one side. */
  stickyKey: string | null;
  model: LoadedModel;
}

export interface ModelRoute {
  modelName: string;
  revision: number;
  champion: LoadedModel | null;
  challenger: ChallengerRoute | null;
}

export interface LoadFailure {
  modelName: string;
  revision: number;
  version: number;
  error: string;
  at: string;
}

export type ApplyOutcome = 'applied' | 'stale' | 'failed';

const LOAD_ATTEMPTS = 3;

/**
 * The models this replica serves, as the latest deployment revision of each says. A new revision is loaded
 * and warmed up beside the old one, then swapped in with one assignment; sessions no longer routed to are
 * retired and released once their in-flight requests end. A revision that fails to load changes nothing.
 */
@Injectable()
export class ModelRepository implements OnApplicationShutdown {
  private readonly routes = new Map<string, ModelRoute>();
  private readonly failures = new Map<string, LoadFailure>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly open = new Set<LoadedModel>();
  private readonly log: JsonLogger;

  constructor(
    private readonly loader: ModelLoader,
    private readonly metrics: GatewayMetrics,
    logger: JsonLogger,
  ) {
    this.log = logger.child('ModelRepository');
  }

  route(modelName: string): ModelRoute | undefined {
    return this.routes.get(modelName);
  }

  routesList(): ModelRoute[] {
    return [...this.routes.values()];
  }

  failuresList(): LoadFailure[] {
    return [...this.failures.values()];
  }

  /** Deployments of one model apply one after another, in the order they arrive; different models in parallel. */
  apply(deployment: Deployment): Promise<ApplyOutcome> {
    const previous = this.queues.get(deployment.modelName) ?? Promise.resolve();
    const next = previous.then(() => this.applyNow(deployment));
    const settled = next.catch(() => undefined);
    this.queues.set(deployment.modelName, settled);
    void settled.then(() => {
      if (this.queues.get(deployment.modelName) === settled) this.queues.delete(deployment.modelName);
    });
    return next;
  }

  onApplicationShutdown(): void {
    for (const model of this.open) model.retire();
    this.routes.clear();
  }

  private async applyNow(deployment: Deployment): Promise<ApplyOutcome> {
    const { modelName, revision } = deployment;
    const current = this.routes.get(modelName);
    if (current && revision <= current.revision) return 'stale';
    const fresh: LoadedModel[] = [];
    const obtain = async (served: ServedVersionData): Promise<LoadedModel> => {
      const reusable = [current?.champion, current?.challenger?.model].find(
        (model) => model && model.version === served.version && model.sha256 === served.artifact.sha256,
      );
      if (reusable) return reusable;
      const model = await this.loadWithRetry(modelName, served);
      fresh.push(model);
      return model;
    };
    let next: ModelRoute;
    try {
      const champion = deployment.champion ? await obtain(deployment.champion) : null;
      const challenger = deployment.challenger
        ? {
            mode: deployment.challenger.mode,
            weight: deployment.challenger.mode === 'shadow' ? 0 : deployment.challenger.weight,
            stickyKey: deployment.challenger.mode === 'ab' ? deployment.challenger.stickyKey : null,
            model: await obtain(deployment.challenger),
          }
        : null;
      next = { modelName, revision, champion, challenger };
    } catch (err) {
      for (const model of fresh) model.retire();
      const failed = (err as LoadError).version ?? deployment.champion?.version ?? 0;
      const failure = { modelName, revision, version: failed, error: (err as Error).message, at: new Date().toISOString() };
      this.failures.set(modelName, failure);
      this.log.error(`deployment revision ${revision} of ${modelName} not applied, previous revision keeps serving`, failure);
      return 'failed';
    }
    this.routes.set(modelName, next);
    this.failures.delete(modelName);
    const kept = new Set([next.champion, next.challenger?.model]);
    for (const old of [current?.champion, current?.challenger?.model]) if (old && !kept.has(old)) old.retire();
    this.log.log(
      `serving ${modelName} revision ${revision}: champion ${next.champion?.version ?? 'none'}` +
        (next.challenger ? `, ${next.challenger.mode} challenger ${next.challenger.model.version}` : ''),
    );
    return 'applied';
  }

  private async loadWithRetry(modelName: string, served: ServedVersionData): Promise<LoadedModel> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { session, signature } = await this.loader.load(served);
        const model = new LoadedModel(modelName, served.version, served.artifact.sha256, session, signature, (released) => {
          this.open.delete(released);
          this.metrics.modelsLoaded.set(this.open.size);
        });
        this.open.add(model);
        this.metrics.modelsLoaded.set(this.open.size);
        this.metrics.modelLoads.inc({ model: modelName, outcome: 'loaded' });
        return model;
      } catch (err) {
        this.metrics.modelLoads.inc({ model: modelName, outcome: 'failed' });
        // A tampered artifact or a model onnxruntime refuses will not get better by asking again.
        const transient = !(err instanceof IntegrityError) && attempt < LOAD_ATTEMPTS && !isModelError(err);
        this.log.warn(`loading ${modelName} v${served.version} failed (attempt ${attempt}): ${(err as Error).message}`);
        if (!transient) throw Object.assign(new LoadError(`version ${served.version}: ${(err as Error).message}`), { version: served.version });
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  }
}

class LoadError extends Error {
  version?: number;
}

function isModelError(err: unknown): boolean {
  const message = (err as Error).message ?? '';
  return /protobuf|onnx|is not a tensor|element type/i.test(message);
}
