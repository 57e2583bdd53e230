import { Inject, Injectable } from '@nestjs/common';
import { createHttpClient, type DatasetSnapshot, featureStoreRoutes, HttpCallError, type HttpClient, type CallInput } from '@mlops/contracts';
import { SERVICE_API_KEY } from '@mlops/service-kit';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { PermanentTrainingFailure, TransientTrainingFailure } from '../train-on-request/training-failures';

export type DatasetRequest = CallInput<typeof featureStoreRoutes.buildDataset>['body'];

/** Label rows from a CSV pinned by content, or from a feature's offline history up to a fixed time. */
export type DatasetLabels = Required<Pick<DatasetRequest, 'entitySource'>> | { labelFeature: { ref: string; to: string } };

/**
 * The feature store's `POST /datasets`. A 4xx is the request's own fault and will not heal on a retry; an
 * unreachable store or a 5xx may, so the two are told apart for the retry bound. A 401 counts as transient: at
 * start-up the store may not have read the trainer's key from governance yet. A store that does not answer within
 * the configured time is transient too.
 */
@Injectable()
export class FeatureStoreDatasetClient {
  private readonly featureStore: HttpClient<typeof featureStoreRoutes>;

  constructor(@Inject(TRAINER_CONFIG) config: TrainerConfig, @Inject(SERVICE_API_KEY) apiKey: string) {
    this.featureStore = createHttpClient(featureStoreRoutes, { baseUrl: config.featureStoreUrl, apiKey, timeoutMs: config.featureStoreTimeoutMs });
  }

  async build(request: DatasetRequest): Promise<DatasetSnapshot> {
    try {
      return await this.featureStore.buildDataset({ body: request });
    } catch (err) {
      if (err instanceof HttpCallError && err.status >= 400 && err.status < 500 && err.status !== 401) {
        throw new PermanentTrainingFailure(`feature store refused the dataset (${err.status}): ${err.reason}`);
      }
      throw new TransientTrainingFailure(`feature store: ${(err as Error).message}`);
    }
  }
}
