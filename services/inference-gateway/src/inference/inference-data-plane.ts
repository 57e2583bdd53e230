import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JsonLogger } from '@mlops/observability';
import { PlatformRuntime } from '@mlops/service-kit';
import { SessionRunner } from '../batching/session-runner';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { EntityFeatureInput } from '../features/entity-feature-input';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { LoadedModel } from '../models/loaded-model';
import { ModelRepository, ModelRoute } from '../models/model-repository';
import type { ServedTensorSpec } from '../models/served-signature';
import { PredictionLogger } from '../prediction-log/prediction-logger';
import { RoutingDecision, routeRequest } from '../traffic/traffic-router';
import { InferenceError, notFound } from './inference-error';
import type { InferenceRequest, InferenceResponse, InferInput } from './inference-request';
import { checkRequestedOutputs, decodeInputs } from './request-validation';
import type { DecodedTensor } from './tensor';

export const SERVER_NAME = 'mlops-inference-gateway';
export const SERVER_VERSION = '1';
export const SERVER_EXTENSIONS = ['binary_tensor_data'];

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: ServedTensorSpec[];
  outputs: ServedTensorSpec[];
}

interface Scored {
  given: InferInput[];
  inputs: DecodedTensor[];
  outputs: DecodedTensor[];
}

export interface ReadinessDetail {
  ready: boolean;
  models: { name: string; revision: number; champion: number | null; challenger: { version: number; mode: string } | null }[];
  failures: ReturnType<ModelRepository['failuresList']>;
}

/**
 * The Open Inference Protocol's operations, independent of HTTP or gRPC: both edges translate their wire
 * format to these calls and InferenceError kinds back to their own status codes.
 */
@Injectable()
export class InferenceDataPlane {
  private readonly log: JsonLogger;

  constructor(
    private readonly repository: ModelRepository,
    private readonly runner: SessionRunner,
    private readonly predictions: PredictionLogger,
    private readonly metrics: GatewayMetrics,
    private readonly featureInput: EntityFeatureInput,
    private readonly runtime: PlatformRuntime,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    logger: JsonLogger,
  ) {
    this.log = logger.child('InferenceDataPlane');
  }

  serverLive(): boolean {
    return true;
  }

  /**
   * Loaded models answer with MinIO, Kafka or Postgres away (their logs wait in the spool), so readiness follows them:
   * probes that fail on a dependency would take every replica out of service at once during its outage.
   */
  servesWithoutDependencies(): boolean {
    return this.repository.routesList().some((route) => route.champion !== null);
  }

  /** Ready once its dependencies are up; a model whose latest revision failed to load is listed, not hidden. */
  serverReady(): ReadinessDetail {
    return {
      ready: this.runtime.isStarted(),
      models: this.repository.routesList().map((route) => ({
        name: route.modelName,
        revision: route.revision,
        champion: route.champion?.version ?? null,
        challenger: route.challenger ? { version: route.challenger.model.version, mode: route.challenger.mode } : null,
      })),
      failures: this.repository.failuresList(),
    };
  }

  serverMetadata(): { name: string; version: string; extensions: string[] } {
    return { name: SERVER_NAME, version: SERVER_VERSION, extensions: SERVER_EXTENSIONS };
  }

  modelReady(name: string, version?: string): boolean {
    const route = this.repository.route(name);
    if (!route) return false;
    const wanted = parseVersion(name, version);
    if (wanted === undefined) return route.champion !== null;
    return [route.champion, route.challenger?.model].some((model) => model?.version === wanted);
  }

  modelMetadata(name: string, version?: string): ModelMetadata {
    const route = this.knownRoute(name);
    const wanted = parseVersion(name, version);
    const model = wanted === undefined ? route.champion : [route.champion, route.challenger?.model].find((m) => m?.version === wanted);
    if (!model) throw notFound(wanted === undefined ? `model ${name} has no champion deployed` : `model ${name} has no version ${wanted} deployed`);
    const versions = [route.champion, route.challenger?.model].filter((m): m is LoadedModel => !!m).map((m) => String(m.version));
    return { name, versions, platform: 'onnxruntime_onnx', inputs: model.signature.inputs, outputs: model.signature.outputs };
  }

  /**
   * Written as a promise chain rather than an async function with awaits: on a small model every promise on this
   * path is a measurable share of the request (more so once any async context tracking is enabled in the process).
   */
  infer(request: InferenceRequest): Promise<InferenceResponse> {
    const started = performance.now();
    let route: ModelRoute;
    try {
      route = this.knownRoute(request.modelName);
    } catch (err) {
      return this.failed(request, '_unknown', '', started, err);
    }
    let decision: RoutingDecision;
    try {
      decision = this.decide(route, request);
    } catch (err) {
      return this.failed(request, route.modelName, '', started, err);
    }
    const model = decision.model;
    const releasePrimary = model.acquire();
    const releaseShadow = decision.shadow?.acquire();
    let scored: Promise<Scored>;
    try {
      scored = this.score(route, model, request);
    } catch (err) {
      scored = Promise.reject(err);
    }
    return scored.then(
      ({ given, inputs, outputs }) => {
        releasePrimary();
        const id = request.id || randomUUID();
        this.predictions.record({ requestId: id, modelName: route.modelName, version: model.version, role: decision.role, inputs, outputs, latencyMs: performance.now() - started, at: new Date() });
        if (decision.shadow && releaseShadow) this.scoreShadow(decision.shadow, releaseShadow, id, given, inputs);
        const version = String(model.version);
        this.metrics.observeInfer(route.modelName, version, request.protocol, 'ok', (performance.now() - started) / 1000);
        return { modelName: route.modelName, modelVersion: version, id, outputs };
      },
      (err: unknown) => {
        releasePrimary();
        releaseShadow?.();
        return this.failed(request, route.modelName, String(model.version), started, err);
      },
    );
  }

  /** Inputs checked against the signature of the model that answers, run, and narrowed to the outputs asked for. */
  private score(route: ModelRoute, model: LoadedModel, request: InferenceRequest): Promise<Scored> {
    if (request.features) {
      const features = request.features;
      return this.featureInput.build(route.modelName, model.signature, features).then((extra) => this.scoreGiven(route, model, [...request.inputs, extra], request.outputs));
    }
    return this.scoreGiven(route, model, request.inputs, request.outputs);
  }

  private scoreGiven(route: ModelRoute, model: LoadedModel, given: InferInput[], requested: string[] | undefined): Promise<Scored> {
    const inputs = decodeInputs(route.modelName, model.signature, given, { maxRows: this.config.maxRequestRows });
    const wanted = checkRequestedOutputs(route.modelName, model.signature, requested);
    return this.runner.run(model, inputs).then((all) => ({ given, inputs, outputs: wanted.length === all.length ? all : all.filter((output) => wanted.includes(output.name)) }));
  }

  private failed(request: InferenceRequest, model: string, version: string, started: number, err: unknown): Promise<never> {
    const status = err instanceof InferenceError ? err.kind : 'internal';
    if (!(err instanceof InferenceError)) this.log.error(`inference on ${request.modelName} failed: ${(err as Error).message}`, (err as Error).stack);
    this.metrics.observeInfer(model, version, request.protocol, status, (performance.now() - started) / 1000);
    return Promise.reject(err);
  }

  private knownRoute(name: string): ModelRoute {
    const route = this.repository.route(name);
    if (!route || !route.champion) throw notFound(`model ${name} is not deployed on this gateway`);
    return route;
  }

  private decide(route: ModelRoute, request: InferenceRequest): RoutingDecision {
    const version = parseVersion(route.modelName, request.version);
    const decision = routeRequest(route, { version, routingKey: request.routingKey, random: Math.random });
    if (!decision) throw notFound(`model ${route.modelName} has no version ${request.version} deployed`);
    return decision;
  }

  /** Off the response path: the caller already has its answer; the shadow's goes only to the prediction log. */
  private scoreShadow(model: LoadedModel, release: () => void, id: string, given: InferInput[], champInputs: DecodedTensor[]): void {
    const started = performance.now();
    setImmediate(() => {
      void (async () => {
        try {
          const inputs = sameInputs(model, champInputs) ? champInputs : decodeInputs(model.name, model.signature, given, { maxRows: this.config.maxRequestRows });
          const outputs = await this.runner.run(model, inputs);
          this.predictions.record({ requestId: id, modelName: model.name, version: model.version, role: 'shadow', inputs, outputs, latencyMs: performance.now() - started, at: new Date() });
        } catch (err) {
          this.metrics.shadowFailures.inc({ model: model.name });
          this.log.warn(`shadow v${model.version} of ${model.name} failed on request ${id}: ${(err as Error).message}`);
        } finally {
          release();
        }
      })();
    });
  }
}

function sameInputs(model: LoadedModel, inputs: DecodedTensor[]): boolean {
  return (
    model.signature.inputs.length === inputs.length &&
    model.signature.inputs.every((spec, i) => spec.name === inputs[i].name && spec.datatype === inputs[i].datatype && spec.shape.length === inputs[i].shape.length && spec.shape.every((dim, d) => dim < 0 || dim === inputs[i].shape[d]))
  );
}

/** Versions are positive integers; anything else names no version of any model. */
function parseVersion(model: string, version: string | undefined): number | undefined {
  if (version === undefined || version === '') return undefined;
  if (!/^[1-9]\d{0,9}$/.test(version)) throw notFound(`model ${model} has no version '${version}'`);
  return Number(version);
}
