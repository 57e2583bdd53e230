import { describeIssues, EntityDefinition } from './feature-definitions';

describe('EntityDefinition', () => {
  it('refuses a join key declared twice, naming the second one', () => {
    const parsed = EntityDefinition.safeParse({
      name: 'customer',
      joinKeys: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int64' },
        { name: 'a', type: 'int64' },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error && describeIssues(parsed.error)).toEqual(['joinKeys.2.name: join key a is declared twice']);
  });

  it('accepts distinct join keys', () => {
    expect(EntityDefinition.safeParse({ name: 'pair', joinKeys: [{ name: 'a', type: 'string' }, { name: 'b', type: 'string' }] }).success).toBe(true);
  });
});
