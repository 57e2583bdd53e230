// Schema names are interpolated into SQL (identifiers cannot be bound parameters), so only plain
// lowercase identifiers are accepted: the same shape as the per-service schemas.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid Postgres schema name "${schema}": expected lowercase letters, digits and "_"`);
  }
  return `"${schema}"`;
}

export function outboxTable(schema: string): string {
  return `${quoteSchema(schema)}.outbox`;
}

export function processedEventsTable(schema: string): string {
  return `${quoteSchema(schema)}.processed_events`;
}
