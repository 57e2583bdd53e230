import { DeploymentChange, newestPerModel } from './deployment-backlog';

const change = (modelName: string, revision: number): DeploymentChange => ({
  modelName,
  revision,
  champion: null,
  challenger: null,
  changedBy: 'spec',
  reason: 'test',
  effectiveFrom: '2026-12-06T00:00:00.000Z',
});

describe('newestPerModel', () => {
  it('keeps one change per model, the highest revision, whatever the order read', () => {
    const folded = newestPerModel([change('a', 1), change('b', 2), change('a', 3), change('a', 2), change('b', 1)]);
    expect(folded.map((c) => [c.modelName, c.revision]).sort()).toEqual([['a', 3], ['b', 2]]);
  });

  it('folds nothing to nothing', () => {
    expect(newestPerModel([])).toEqual([]);
  });
});
