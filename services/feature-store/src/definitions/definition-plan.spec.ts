import { DefinitionFile, FeatureViewVersion } from './feature-definitions';
import { diffJson, planDefinitions, schemaHash } from './definition-plan';

const file = DefinitionFile.parse({
  entities: [{ name: 'customer', joinKeys: [{ name: 'customer_id', type: 'string' }] }],
  featureViews: [
    {
      name: 'txn',
      entities: ['customer'],
      source: { topic: 'txn', eventTimeField: 'ts' },
      schema: [{ name: 'amount', type: 'float64' }],
      ttlSeconds: 60,
      owner: 'a',
    },
  ],
});
const [view] = file.featureViews;
const applied = (definition = view, version = 1): FeatureViewVersion => ({
  name: definition.name,
  version,
  definition,
  joinKeys: [{ name: 'customer_id', type: 'string' }],
  schemaHash: schemaHash(definition),
  createdAt: '',
  updatedAt: '',
});

describe('planDefinitions', () => {
  it('creates what is not applied', () => {
    const plan = planDefinitions(file, [], []);
    expect(plan.errors).toEqual([]);
    expect(plan.changes.map((c) => [c.kind, c.action, c.version])).toEqual([['entity', 'create', undefined], ['feature-view', 'create', 1]]);
  });

  it('leaves equal definitions alone, whatever their key order', () => {
    const reordered = { ...view, owner: view.owner, name: view.name };
    const plan = planDefinitions({ entities: file.entities, featureViews: [reordered] }, file.entities, [applied()]);
    expect(plan.changes.map((c) => c.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('versions a schema or source change and updates metadata in place', () => {
    const schemaChange = { ...view, schema: [...view.schema, { name: 'n', type: 'int64' as const, nullable: true }] };
    const sourceChange = { ...view, source: { ...view.source, topic: 'txn2' } };
    const metadataChange = { ...view, ttlSeconds: 120, tags: { team: 'x' } };
    const plan = (v: typeof view) => planDefinitions({ entities: [], featureViews: [v] }, file.entities, [applied(view, 4)]).changes[0];
    expect(plan(schemaChange)).toMatchObject({ action: 'new-version', version: 5, diff: ['schema[n]: (none) -> {"name":"n","nullable":true,"type":"int64"}'] });
    expect(plan(sourceChange)).toMatchObject({ action: 'new-version', version: 5, diff: ['source.topic: "txn" -> "txn2"'] });
    expect(plan(metadataChange)).toMatchObject({ action: 'update', version: 4, diff: ['tags.team: (none) -> "x"', 'ttlSeconds: 60 -> 120'] });
  });

  it('names unknown entities, duplicates and features named like a join key', () => {
    const bad = { ...view, entities: ['customer', 'merchant'], schema: [{ name: 'customer_id', type: 'string' as const, nullable: true }] };
    const plan = planDefinitions({ entities: file.entities, featureViews: [bad, bad] }, [], []);
    expect(plan.errors).toEqual([
      'featureViews.0.entities.1: entity merchant is neither applied nor declared in this file',
      'featureViews.0.schema: feature customer_id has the name of a join key',
      'featureViews.1.name: feature view txn is declared twice',
      'featureViews.1.entities.1: entity merchant is neither applied nor declared in this file',
      'featureViews.1.schema: feature customer_id has the name of a join key',
    ]);
  });

  it('refuses a view whose entities repeat or share a join key', () => {
    const entities = [...file.entities, { name: 'buyer', joinKeys: [{ name: 'customer_id', type: 'string' as const }], description: '' }];
    const repeated = { ...view, entities: ['customer', 'customer'] };
    const shared = { ...view, name: 'txn2', entities: ['customer', 'buyer'] };
    expect(planDefinitions({ entities, featureViews: [repeated, shared] }, [], []).errors).toEqual([
      'featureViews.0.entities.1: entity customer is listed twice',
      'featureViews.1.entities.1: join key customer_id of entity buyer is also a join key of entity customer',
    ]);
  });
});

describe('diffJson', () => {
  it('compares named lists by name, not position', () => {
    expect(diffJson([{ name: 'a', t: 1 }, { name: 'b', t: 2 }], [{ name: 'b', t: 2 }, { name: 'a', t: 3 }])).toEqual(['[a].t: 1 -> 3']);
  });
});
