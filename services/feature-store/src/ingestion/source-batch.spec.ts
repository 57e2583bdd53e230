import { DLQ_HEADERS } from '@mlops/contracts';
import { FeatureViewDefinition, FeatureViewVersion } from '../definitions/feature-definitions';
import { sortBatch } from './source-batch';

function view(name: string, max: number): FeatureViewVersion {
  const definition = FeatureViewDefinition.parse({
    name,
    entities: ['customer'],
    source: { topic: 't', eventTimeField: 'ts' },
    schema: [{ name: 'amount', type: 'float64', constraints: { max } }],
    ttlSeconds: 60,
    owner: 'o',
  });
  return { name, version: 2, definition, joinKeys: [{ name: 'customer_id', type: 'string' }], schemaHash: 'x', createdAt: '', updatedAt: '' };
}

describe('sortBatch', () => {
  it('makes a row of each acceptance and a dead letter of each refusal, per view, with the source and the reason', () => {
    const record = Buffer.from(JSON.stringify({ customer_id: 'c1', ts: 1_700_000_000_000, amount: 50 }));
    const at = new Date('2026-01-01T00:00:00Z');
    const sorted = sortBatch(
      { topic: 't', partition: 3, groupId: 'g', messages: [{ key: Buffer.from('c1'), value: record, offset: '41' }, { key: null, value: null, offset: '42' }] },
      [view('wide', 100), view('narrow', 10)],
      at,
    );
    expect(sorted.rows).toEqual([expect.objectContaining({ viewName: 'wide', entityKey: 'c1', values: { amount: 50 } })]);
    expect(sorted.accepted).toEqual(new Map([['wide', 1]]));
    expect(sorted.deadLetters.map((l) => [l.view, l.offset, l.headers[DLQ_HEADERS.error]])).toEqual([
      ['narrow', '41', 'feature view narrow v2: field amount: 50 is above the maximum 10'],
      ['wide', '42', 'feature view wide v2: record has no value'],
      ['narrow', '42', 'feature view narrow v2: record has no value'],
    ]);
    expect(sorted.deadLetters[0]).toMatchObject({
      key: Buffer.from('c1'),
      value: record,
      headers: { [DLQ_HEADERS.sourceTopic]: 't', [DLQ_HEADERS.sourcePartition]: '3', [DLQ_HEADERS.sourceOffset]: '41', [DLQ_HEADERS.failedAt]: at.toISOString() },
    });
  });
});
