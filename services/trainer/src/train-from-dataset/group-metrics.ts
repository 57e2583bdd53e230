import type { EventData } from '@mlops/contracts';
import { InvalidTrainingData, LabeledDataset } from '@mlops/ml';

export type GroupMetrics = EventData<'mlops.training.completed'>['groupMetrics'][number];

/** A sensitive attribute and the feature column holding it. */
export interface GroupBy {
  attribute: string;
  column: number;
}

/** Beyond this many values an attribute is no grouping but a measurement: it should be bucketed first. */
export const MAX_GROUPS = 50;

/** The columns of the request's sensitive attributes, each of which must be one of its features. */
export function groupColumns(featureRefs: string[], sensitiveAttributes: string[] = []): GroupBy[] {
  return sensitiveAttributes.map((attribute) => {
    const column = featureRefs.indexOf(attribute);
    if (column < 0) throw new InvalidTrainingData(`sensitiveAttributes: ${attribute} is not one of the request's featureRefs`);
    return { attribute, column };
  });
}

/**
 * The holdout metrics of each group of rows sharing a value of a sensitive attribute, for governance's bound on the
 * gap between groups. A metric a group cannot have (AUC of a group with one class) is left out of that group.
 */
export function holdoutGroupMetrics(
  holdout: LabeledDataset,
  predictions: Float64Array,
  groupBy: GroupBy[],
  metricsOf: (labels: Float64Array, predictions: Float64Array) => Record<string, number>,
): GroupMetrics[] {
  const { rows, cols, values } = holdout.features;
  return groupBy.map(({ attribute, column }) => {
    const members = new Map<string, number[]>();
    for (let r = 0; r < rows; r++) {
      const value = values[r * cols + column];
      const key = Number.isNaN(value) ? 'missing' : String(value);
      const group = members.get(key);
      if (group) group.push(r);
      else members.set(key, [r]);
    }
    if (members.size > MAX_GROUPS) {
      throw new InvalidTrainingData(`sensitive attribute ${attribute} has ${members.size} values in the holdout, more than ${MAX_GROUPS}: bucket it first`);
    }
    const groups = [...members.entries()].map(([value, indices]) => {
      const metrics = metricsOf(Float64Array.from(indices, (r) => holdout.labels[r]), Float64Array.from(indices, (r) => predictions[r]));
      return { value, rows: indices.length, metrics: Object.fromEntries(Object.entries(metrics).filter(([, m]) => Number.isFinite(m))) };
    });
    return { attribute, groups: groups.sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true })) };
  });
}
