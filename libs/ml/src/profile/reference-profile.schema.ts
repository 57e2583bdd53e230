import { z } from 'zod';

/**
 * A reference profile: the distribution of the training features and of the model's predictions on them,
 * stored with the model version so the monitor can measure drift against it (e.g. PSI over the same bins).
 *
 * Numeric bin rule: a value v belongs to the first bin whose `upper` satisfies v <= upper; the last bin has
 * `upper` null (+infinity). Missing values (null/NaN) are counted in `nullCount`, never in a bin.
 */
export const QuantilePoint = z.object({ q: z.number().min(0).max(1), value: z.number() });

export const NumericBin = z.object({ upper: z.number().nullable(), count: z.number().int().nonnegative() });

export const NumericColumnProfile = z.object({
  name: z.string().min(1),
  kind: z.literal('numeric'),
  count: z.number().int().nonnegative(),
  nullCount: z.number().int().nonnegative(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  /** Linear interpolation between order statistics (numpy's default). */
  quantiles: z.array(QuantilePoint),
  bins: z.array(NumericBin),
  /** The drift reference: every present value when there are at most 1000, else the 1000 mid-quantiles (absent in older profiles). */
  sample: z.array(z.number()).max(1000).optional(),
  /** Distinct present values: Evidently's defaults test a column with few of them as categorical. */
  distinct: z.number().int().nonnegative().optional(),
});

export const CategoryFrequency = z.object({ value: z.string(), count: z.number().int().positive() });

export const CategoricalColumnProfile = z.object({
  name: z.string().min(1),
  kind: z.literal('categorical'),
  count: z.number().int().nonnegative(),
  nullCount: z.number().int().nonnegative(),
  /** The most frequent categories, by count descending then value ascending. */
  frequencies: z.array(CategoryFrequency),
  /** Rows whose category is not among `frequencies`. */
  otherCount: z.number().int().nonnegative(),
});

export const ColumnProfile = z.discriminatedUnion('kind', [NumericColumnProfile, CategoricalColumnProfile]);

export const ReferenceProfile = z.object({
  schemaVersion: z.literal(1),
  rowCount: z.number().int().nonnegative(),
  features: z.array(ColumnProfile),
  predictions: z.array(ColumnProfile),
  /**
   * Binary classifiers: P(1) and the true label (0/1) on holdout rows the model was not trained on, the calibration
   * set for estimating performance without labels (CBPE); `rowCount` is the holdout's size before thinning.
   */
  holdout: z
    .object({ rowCount: z.number().int().nonnegative(), scores: z.array(z.number()), labels: z.array(z.number().int().min(0).max(1)) })
    .optional(),
});

export type NumericColumnProfile = z.infer<typeof NumericColumnProfile>;
export type CategoricalColumnProfile = z.infer<typeof CategoricalColumnProfile>;
export type ColumnProfile = z.infer<typeof ColumnProfile>;
export type ReferenceProfile = z.infer<typeof ReferenceProfile>;
