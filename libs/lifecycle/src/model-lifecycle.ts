// The steps a churn model takes before it serves (a feature view over a producer's topic, a training request, the
// registry's approval, a deployment), as both the main job (deploy/local/main-job/lifecycle.ts) and
// test/observability.e2e-spec.ts drive them. A lib of its own rather than part of libs/testing, which the main job
// (not test code) may not import, nor of the main job, which a spec may not import by path. It reads no key, port or
// file itself: the caller says where the services are and how to call them (with which key).

export interface PlatformApi {
  urls: { featureStore: string; trainer: string; registry: string };
  /** Sends `body` as JSON and resolves to the parsed answer; rejects on any status but 2xx, naming it. */
  call<T>(method: string, url: string, body?: unknown): Promise<T>;
}

export interface ChurnModel {
  model: string;
  view: string;
  topic: string;
  /** The entity the view is keyed by (`customer_id`). */
  entity: string;
}

/** Customers' usage: minutes and support tickets, and whether they churned (the label), per `customer_id`. */
export async function defineChurnFeatures(api: PlatformApi, churn: ChurnModel, owner: string): Promise<void> {
  await api.call('POST', `${api.urls.featureStore}/apply`, {
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
  });
}

/** Minimal risk: a version that passes every check is approved by governance's policy, with nobody's hand. */
export async function registerChurnModel(api: PlatformApi, churn: ChurnModel, owner: string, description: string): Promise<void> {
  await api.call('POST', `${api.urls.registry}/models`, { name: churn.model, owner, riskTier: 'minimal', description });
}

/** A GBDT on minutes and tickets, labelled by the history of `churned`, judged on the newest fifth (time split). */
export async function requestChurnTraining(api: PlatformApi, churn: ChurnModel, run: { seed: number; numIterations: number; requestedBy: string }): Promise<string> {
  const { requestId } = await api.call<{ requestId: string }>('POST', `${api.urls.trainer}/training-requests`, {
    modelName: churn.model,
    featureRefs: [`${churn.view}:minutes`, `${churn.view}:tickets`],
    labelSource: { kind: 'feature', featureRef: `${churn.view}:churned` },
    algorithm: 'gbdt_classifier',
    hyperparameters: { numIterations: run.numIterations, minChildSamples: 10 },
    split: { policy: 'time', holdoutFraction: 0.2 },
    seed: run.seed,
    requestedBy: run.requestedBy,
  });
  return requestId;
}

/** Whether the registry has recorded governance's approval of the version. */
export async function isApproved(api: PlatformApi, churn: ChurnModel, version: number): Promise<boolean> {
  const { approvalStatus } = await api.call<{ approvalStatus: string }>('GET', `${api.urls.registry}/models/${churn.model}/versions/${version}`);
  return approvalStatus === 'approved';
}

export interface DeploymentSpec {
  champion: number;
  challenger?: number;
  /** The canary challenger's share of the traffic. */
  weight?: number;
  changedBy: string;
  reason: string;
}

export async function deployChurnModel(api: PlatformApi, churn: ChurnModel, spec: DeploymentSpec): Promise<void> {
  const challenger = spec.challenger === undefined ? null : { version: spec.challenger, mode: 'canary', weight: spec.weight };
  await api.call('POST', `${api.urls.registry}/models/${churn.model}/deployments`, { champion: spec.champion, challenger, changedBy: spec.changedBy, reason: spec.reason });
}
