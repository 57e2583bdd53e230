import { Inject, Injectable } from '@nestjs/common';
import { bearer } from '@mlops/auth';
import { SERVICE_API_KEY } from '@mlops/service-kit';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { PermanentTrainingFailure, TransientTrainingFailure } from '../train-on-request/training-failures';

/** Label rows from a CSV pinned by content, or from a feature's offline history up to a fixed time. */
export type DatasetLabels = { entitySource: { uri: string; sha256: string } } | { labelFeature: { ref: string; to: string } };

export type DatasetRequest = DatasetLabels & {
  features: string[];
  timestampField: string;
  labelField: string;
};

export interface FeatureStoreSnapshot {
  snapshotId: string;
  uri: string;
  sha256: string;
  rows: number;
}

/**
 * The feature store's `POST /datasets`. A 4xx is the request's own fault and will not heal on a retry; an
 * unreachable store or a 5xx may, so the two are told apart for the retry bound. A 401 counts as transient: at
 * start-up the store may not have read the trainer's key from governance yet.
 */
@Injectable()
export class FeatureStoreDatasetClient {
  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    @Inject(SERVICE_API_KEY) private readonly apiKey: string,
  ) {}

  async build(request: DatasetRequest): Promise<FeatureStoreSnapshot> {
    const url = `${this.config.featureStoreUrl}/datasets`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(this.apiKey) },
        body: JSON.stringify(request),
      });
    } catch (err) {
      throw new TransientTrainingFailure(`feature store at ${this.config.featureStoreUrl} is unreachable: ${(err as Error).message}`);
    }
    const text = await response.text();
    if (response.status >= 400 && response.status < 500 && response.status !== 401) {
      throw new PermanentTrainingFailure(`feature store refused the dataset (${response.status}): ${messageOf(text)}`);
    }
    if (!response.ok) throw new TransientTrainingFailure(`feature store answered ${response.status} to the dataset: ${messageOf(text)}`);
    return JSON.parse(text) as FeatureStoreSnapshot;
  }
}

function messageOf(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the raw body is the best description there is
  }
  return text.slice(0, 500);
}
