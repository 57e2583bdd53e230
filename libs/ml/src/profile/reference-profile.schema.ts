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
});

export type NumericColumnProfile = z.infer<typeof NumericColumnProfile>;
export type CategoricalColumnProfile = z.infer<typeof CategoricalColumnProfile>;
export type ColumnProfile = z.infer<typeof ColumnProfile>;
export type ReferenceProfile = z.infer<typeof ReferenceProfile>;
