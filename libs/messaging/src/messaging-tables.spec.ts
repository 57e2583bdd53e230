import { outboxTable, processedEventsTable, quoteSchema } from './messaging-tables';

describe('messaging tables', () => {
  it('qualifies the tables with the quoted service schema', () => {
    expect(outboxTable('feature_store')).toBe('"feature_store".outbox');
    expect(processedEventsTable('registry')).toBe('"registry".processed_events');
  });

  it.each(['Registry', 'feature-store', 'x"; DROP TABLE y; --', '', '1abc', 'a'.repeat(64)])(
    'refuses %j, which would have to be escaped to be interpolated into SQL',
    (schema) => {
      expect(() => quoteSchema(schema)).toThrow(/invalid Postgres schema name/);
    },
  );
});
