import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type HttpApi, openApiDocument, type OpenApiDocument } from '@mlops/contracts';

/**
 * The document a service serves: its HTTP contract's, plus any route the application serves that the contract
 * lacks, as Nest describes it. Such a route is what the contracts test catches, so none can hide.
 */
export function servedOpenApi(app: INestApplication, api: HttpApi): OpenApiDocument {
  const document = openApiDocument(api);
  const served = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  for (const [path, operations] of Object.entries(served.paths)) {
    for (const [method, operation] of Object.entries(operations as Record<string, Record<string, unknown>>)) {
      if (document.paths[path]?.[method]) continue;
      document.paths[path] = { ...document.paths[path], [method]: { ...operation, 'x-mlops-not-in-contract': true } };
    }
  }
  return document;
}
