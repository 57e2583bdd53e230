// The steps a churn model takes before it serves (a feature view over a producer's topic, a training request, the
// registry's approval, a deployment), as both the main job (deploy/local/main-job/lifecycle.ts) and
// test/observability.e2e-spec.ts drive them. A lib of its own rather than part of libs/testing, which the main job
// (not test code) may not import, nor of the main job, which a spec may not import by path. It reads no key, port or
// file itself: the caller says where the services are and with which key to call them.
import { createHttpClient, featureStoreRoutes, registryRoutes, trainerRoutes } from '@mlops/contracts';

export interface PlatformApi {
  urls: { featureStore: string; trainer: string; registry: string };
  apiKey: string;
}

const featureStore = (api: PlatformApi) => createHttpClient(featureStoreRoutes, { baseUrl: api.urls.featureStore, apiKey: api.apiKey });
const trainer = (api: PlatformApi) => createHttpClient(trainerRoutes, { baseUrl: api.urls.trainer, apiKey: api.apiKey });
const registry = (api: PlatformApi) => createHttpClient(registryRoutes, { baseUrl: api.urls.registry, apiKey: api.apiKey });

export interface ChurnModel {
  model: string;
  view: string;
  topic: string;
  /** The entity the view is keyed by (`customer_id`). */
  entity: string;
}

/** Customers' usage: minutes and support tickets, and whether they churned (the label), per `customer_id`. */
export async function defineChurnFeatures(api: PlatformApi, churn: ChurnModel, owner: string): Promise<void> {
  await featureStore(api).apply({
    body: {
    entities: [{ name: churn.entity, joinKeys: [{ name: 'customer_id', type: 'int64' }] }],
    featureViews: [
      {
        name: churn.view,
        entities: [churn.entity],
        source: { topic: churn.topic, eventTimeField: 'at' },
        schema: [
          { name: 'minutes', type: 'float64' },
          { name: 'tickets', type: 'int64' },
          { name: 'churned', type: 'int64' },
        ],
        ttlSeconds: 30 * 24 * 3600,
        owner,
      },
    ],
    },
  });
}

/** Minimal risk: a version that passes every check is approved by governance's policy, with nobody's hand. */
export async function registerChurnModel(api: PlatformApi, churn: ChurnModel, owner: string, description: string): Promise<void> {
  await registry(api).createModel({ body: { name: churn.model, owner, riskTier: 'minimal', description } });
}

/** A GBDT on minutes and tickets, labelled by the history of `churned`, judged on the newest fifth (time split). */
export async function requestChurnTraining(api: PlatformApi, churn: ChurnModel, run: { seed: number; numIterations: number }): Promise<string> {
  const { requestId } = await trainer(api).submitTrainingRequest({
    body: {
    modelName: churn.model,
    featureRefs: [`${churn.view}:minutes`, `${churn.view}:tickets`],
    labelSource: { kind: 'feature', featureRef: `${churn.view}:churned` },
    algorithm: 'gbdt_classifier',
    hyperparameters: { numIterations: run.numIterations, minChildSamples: 10 },
    split: { policy: 'time', holdoutFraction: 0.2 },
    seed: run.seed,
    },
  });
  return requestId;
}

/** Whether the registry has recorded governance's approval of the version. */
export async function isApproved(api: PlatformApi, churn: ChurnModel, version: number): Promise<boolean> {
  const { approvalStatus } = await registry(api).getVersion({ params: { name: churn.model, version } });
  return approvalStatus === 'approved';
}

export interface DeploymentSpec {
  champion: number;
  /** A challenger on canary, taking `weight` of the traffic. */
  canary?: { version: number; weight: number };
  reason: string;
}

export async function deployChurnModel(api: PlatformApi, churn: ChurnModel, spec: DeploymentSpec): Promise<void> {
  const challenger = spec.canary ? { ...spec.canary, mode: 'canary' as const } : null;
  await registry(api).deploy({ params: { name: churn.model }, body: { champion: spec.champion, challenger, reason: spec.reason } });
}
