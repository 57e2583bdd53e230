import type { ResolvedFeature } from '../definitions/feature-catalog';
import { labelSetFromHistory } from './label-history';
import { InvalidLabelSetError, LabelColumns } from './label-set';

function labelFeature(joinKeys: { name: string; type: 'int64' | 'string' }[]): ResolvedFeature {
  return {
    ref: 'outcomes:churned',
    view: { name: 'outcomes', version: 1, joinKeys } as unknown as ResolvedFeature['view'],
    field: { name: 'churned', type: 'bool', nullable: true },
  } as ResolvedFeature;
}

const columns = (joinKeys: string[], labelType: LabelColumns['labelType'] = 'float64'): LabelColumns => ({
  joinKeys,
  timestampField: 'event_timestamp',
  labelField: 'label',
  labelType,
});

const at = (iso: string) => new Date(iso);

describe('labelSetFromHistory', () => {
  it('turns each history row into a label row at its event time, booleans as 1/0', () => {
    const set = labelSetFromHistory(
      [
        { entityKey: 'c1', eventTime: at('2026-01-01T00:00:00Z'), value: true },
        { entityKey: 'c2', eventTime: at('2026-01-02T00:00:00Z'), value: false },
      ],
      labelFeature([{ name: 'customer_id', type: 'string' }]),
      columns(['customer_id']),
    );
    expect(set.keys.get('customer_id')).toEqual(['c1', 'c2']);
    expect(set.timestamps).toEqual([at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z')]);
    expect(set.labels).toEqual([1, 0]);
  });

  it('splits a composite entity key into the join keys the features need, in their order', () => {
    const set = labelSetFromHistory(
      [{ entityKey: JSON.stringify(['7', 'eu']), eventTime: at('2026-01-01T00:00:00Z'), value: 2.5 }],
      labelFeature([
        { name: 'store_id', type: 'int64' },
        { name: 'region', type: 'string' },
      ]),
      columns(['region', 'store_id']),
    );
    expect(set.keys.get('region')).toEqual(['eu']);
    expect(set.keys.get('store_id')).toEqual(['7']);
    expect(set.labels).toEqual([2.5]);
  });

  it('refuses a label view that lacks a join key the features need', () => {
    expect(() => labelSetFromHistory([], labelFeature([{ name: 'customer_id', type: 'string' }]), columns(['customer_id', 'store_id']))).toThrow(
      new InvalidLabelSetError('labelFeature: view outcomes is keyed by customer_id, the features also need store_id'),
    );
  });

  it('refuses a value that is not of the label type, naming the feature', () => {
    const rows = [{ entityKey: 'c1', eventTime: at('2026-01-01T00:00:00Z'), value: 'yes' }];
    expect(() => labelSetFromHistory(rows, labelFeature([{ name: 'customer_id', type: 'string' }]), columns(['customer_id']))).toThrow(
      'labelFeature: outcomes:churned holds "yes", not a float64 label',
    );
  });
});
