import type { OnlineFeatureValue } from '@mlops/contracts';

/**
 * The port through which a request naming entity keys instead of carrying every feature gets its features
 * (implemented over the feature store's online API by FeatureStoreOnlineClient).
 */
export interface EntityKeys {
  /** Entity join key to the key values, one per row: `{ customer_id: ['c-1', 'c-2'] }`. */
  [joinKey: string]: Array<string | number>;
}

/** As the feature store reports it: an EXPIRED value is older than its view's TTL and comes without a value. */
export type FeatureCell = Pick<OnlineFeatureValue, 'value' | 'status'>;

export interface FeatureRows {
  /** Feature references in the order their cells appear in each row, e.g. `churn_view:tenure_days`. */
  features: string[];
  /** One row per requested key, in key order. */
  rows: FeatureCell[][];
}

export interface FeatureLookup {
  /**
   * Fetches the named features for the given entity keys, in key order, in one round trip. Throws an
   * InferenceError: `invalid_argument` when the store refuses the lookup (unknown feature ref, missing join key),
   * `unavailable` when it cannot be reached or answers unusably.
   */
  fetch(features: readonly string[], keys: EntityKeys): Promise<FeatureRows>;
}

export const FEATURE_LOOKUP = Symbol('FEATURE_LOOKUP');
