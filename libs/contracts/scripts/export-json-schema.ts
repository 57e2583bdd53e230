// Writes one JSON Schema file per event type into libs/contracts/json-schema/ for non-TypeScript clients.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJsonSchemas } from '../src';

const outDir = join(__dirname, '..', 'json-schema');
mkdirSync(outDir, { recursive: true });
for (const [type, schema] of Object.entries(exportJsonSchemas())) {
  writeFileSync(join(outDir, `${type}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(exportJsonSchemas()).length} schemas to ${outDir}`);
