/**
 * The port through which a request naming entity keys instead of carrying every feature gets its features from
 * the feature store's online API. Not wired yet: nothing implements or calls it until the feature store's online
 * API lands (issue "features by entity key": whichever of the two lands second does the wiring and its e2e test).
 */
export interface EntityKeys {
  /** Entity name to the key values, one per row: `{ customer_id: ['c-1', 'c-2'] }`. */
  [entity: string]: Array<string | number>;
}

export interface FeatureRows {
  /** Feature references in the order their values appear in each row, e.g. `churn_view:tenure_days`. */
  features: string[];
  /** One row per requested key; null where the store has no fresh value. */
  rows: Array<Array<number | string | boolean | null>>;
}

export interface FeatureLookup {
  /** Fetches the named features for the given entity keys, in key order. */
  fetch(features: readonly string[], keys: EntityKeys): Promise<FeatureRows>;
}

export const FEATURE_LOOKUP = Symbol('FEATURE_LOOKUP');
