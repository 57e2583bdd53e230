// Writes, for non-TypeScript clients, one JSON Schema file per event type into libs/contracts/json-schema/ and
// each service's OpenAPI document (derived from its HTTP contract) into libs/contracts/openapi/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJsonSchemas, HTTP_APIS, openApiDocument } from '../src';

function writeAll(dir: string, files: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), `${JSON.stringify(content, null, 2)}\n`);
  console.log(`wrote ${Object.keys(files).length} files to ${dir}`);
}

const schemas = exportJsonSchemas();
writeAll(join(__dirname, '..', 'json-schema'), Object.fromEntries(Object.entries(schemas).map(([type, schema]) => [`${type}.schema.json`, schema])));
writeAll(
  join(__dirname, '..', 'openapi'),
  Object.fromEntries(Object.entries(HTTP_APIS).map(([service, api]) => [`${service}.openapi.json`, openApiDocument(api)])),
);
