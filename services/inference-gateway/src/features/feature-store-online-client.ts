import { Inject, Injectable } from '@nestjs/common';
import { createHttpClient, featureStoreRoutes, HttpCallError, type HttpClient, type OnlineFeaturesResult, ServiceUnreachable } from '@mlops/contracts';
import { SERVICE_API_KEY } from '@mlops/service-kit';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { invalid, unavailable } from '../inference/inference-error';
import type { EntityKeys, FeatureCell, FeatureLookup, FeatureRows } from './feature-lookup';

/** FeatureLookup over the feature store's `POST /online-features`: one call for all rows of a request. */
@Injectable()
export class FeatureStoreOnlineClient implements FeatureLookup {
  private readonly featureStore: HttpClient<typeof featureStoreRoutes>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig, @Inject(SERVICE_API_KEY) apiKey: string) {
    this.featureStore = createHttpClient(featureStoreRoutes, { baseUrl: config.featureStore.url, apiKey, timeoutMs: config.featureStore.timeoutMs });
  }

  async fetch(features: readonly string[], keys: EntityKeys): Promise<FeatureRows> {
    const entities = rowsOf(keys);
    let answer: OnlineFeaturesResult;
    try {
      answer = await this.featureStore.readOnline({ body: { entities, features: [...features] } });
    } catch (err) {
      if (err instanceof ServiceUnreachable) throw unavailable(`feature store at ${this.config.featureStore.url} is unreachable: ${err.reason}`);
      if (err instanceof HttpCallError && err.status === 400) throw invalid(`feature store refused the lookup: ${err.reason}`);
      if (err instanceof HttpCallError) throw unavailable(`feature store answered ${err.status} to the lookup: ${err.reason}`);
      throw unavailable(`feature store answered the lookup unusably: ${(err as Error).message}`);
    }
    return { features: [...features], rows: cellsOf(answer, features, entities.length) };
  }
}

/** The port's columnar keys (one array per join key) to the store's list of one object per row. */
function rowsOf(keys: EntityKeys): Record<string, string | number>[] {
  const names = Object.keys(keys);
  const count = names.length === 0 ? 0 : keys[names[0]].length;
  return Array.from({ length: count }, (_, row) => Object.fromEntries(names.map((name) => [name, keys[name][row]])));
}

function cellsOf(answer: OnlineFeaturesResult, features: readonly string[], rows: number): FeatureCell[][] {
  if (answer.results.length !== rows) throw unavailable(`feature store answered ${answer.results.length} results for ${rows} entities`);
  return answer.results.map((result, row) =>
    features.map((ref) => {
      const cell = result.features[ref];
      if (!cell) throw unavailable(`feature store answered no value for '${ref}' of entity ${row}`);
      return { value: cell.value, status: cell.status };
    }),
  );
}
