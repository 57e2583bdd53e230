import { Inject, Injectable } from '@nestjs/common';
import { bearer } from '@mlops/auth';
import { SERVICE_API_KEY } from '@mlops/service-kit';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { invalid, unavailable } from '../inference/inference-error';
import type { EntityKeys, FeatureCell, FeatureLookup, FeatureRows } from './feature-lookup';

interface OnlineFeaturesResponse {
  results?: { features?: Record<string, { value?: unknown; status?: unknown }> }[];
}

const STATUSES = new Set(['PRESENT', 'NOT_FOUND', 'EXPIRED']);

/** FeatureLookup over the feature store's `POST /online-features`: one call for all rows of a request. */
@Injectable()
export class FeatureStoreOnlineClient implements FeatureLookup {
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig, @Inject(SERVICE_API_KEY) apiKey: string) {
    this.url = `${config.featureStore.url}/online-features`;
    this.headers = { 'content-type': 'application/json', ...bearer(apiKey) };
  }

  async fetch(features: readonly string[], keys: EntityKeys): Promise<FeatureRows> {
    const entities = rowsOf(keys);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify({ entities, features }),
        signal: AbortSignal.timeout(this.config.featureStore.timeoutMs),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${this.config.featureStore.timeoutMs} ms` : reasonOf(err);
      throw unavailable(`feature store at ${this.config.featureStore.url} is unreachable: ${reason}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 400) throw invalid(`feature store refused the lookup: ${messageOf(text)}`);
    if (!response.ok) throw unavailable(`feature store answered ${response.status} to the lookup: ${messageOf(text)}`);
    let body: OnlineFeaturesResponse;
    try {
      body = JSON.parse(text) as OnlineFeaturesResponse;
    } catch {
      throw unavailable('feature store answered the lookup with a body that is not JSON');
    }
    return { features: [...features], rows: cellsOf(body, features, entities.length) };
  }
}

/** The port's columnar keys (one array per join key) to the store's list of one object per row. */
function rowsOf(keys: EntityKeys): Record<string, string | number>[] {
  const names = Object.keys(keys);
  const count = names.length === 0 ? 0 : keys[names[0]].length;
  return Array.from({ length: count }, (_, row) => Object.fromEntries(names.map((name) => [name, keys[name][row]])));
}

function cellsOf(body: OnlineFeaturesResponse, features: readonly string[], rows: number): FeatureCell[][] {
  const results = body.results;
  if (!Array.isArray(results) || results.length !== rows) {
    throw unavailable(`feature store answered ${Array.isArray(results) ? results.length : 'no'} results for ${rows} entities`);
  }
  return results.map((result, row) =>
    features.map((ref) => {
      const cell = result.features?.[ref];
      if (!cell || typeof cell.status !== 'string' || !STATUSES.has(cell.status)) {
        throw unavailable(`feature store answered no usable value for '${ref}' of entity ${row}`);
      }
      const value = cell.value ?? null;
      if (value !== null && typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
        throw unavailable(`feature store answered a ${typeof value} for '${ref}' of entity ${row}`);
      }
      return { value, status: cell.status as FeatureCell['status'] };
    }),
  );
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    const message = parsed.message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself is the best account there is
  }
  return text.slice(0, 500) || '(empty body)';
}

/** fetch hides the socket error in `cause`; that is what tells the caller why (ECONNREFUSED, a timeout...). */
function reasonOf(err: unknown): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  return error.cause?.code ?? error.cause?.message ?? error.message;
}
