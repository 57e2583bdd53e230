import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { z } from 'zod';
import { HTTP_APIS } from './apis';
import { openApiDocument, OPENAPI_VERSION } from './openapi';
import { defineRoutes } from './route';

/** Validates with swagger-parser: the OpenAPI 3.1 schema, then its own rules (path parameters declared, unique operation ids). */
const validate = (document: unknown) => SwaggerParser.validate(structuredClone(document) as never);

describe('OpenAPI documents derived from the HTTP contracts', () => {
  it.each(Object.entries(HTTP_APIS))('%s: valid for the version it declares', async (_service, api) => {
    const document = openApiDocument(api);
    expect(document.openapi).toBe(OPENAPI_VERSION);
    await expect(validate(document)).resolves.toBeDefined();
  });

  const thing = (params?: z.ZodObject) =>
    defineRoutes({
      thing: { method: 'get', path: '/things/{id}', summary: 'A thing', tag: 'things', access: { public: true }, params, status: 200, response: z.object({ note: z.string().nullable() }) },
    });

  it('refuses a route whose path values its params schema does not declare', () => {
    expect(() => openApiDocument({ title: 't', description: 'd', routes: thing() })).toThrow(/takes path values id but its params schema declares none/);
  });

  it('is what the validator refuses when declared 3.0, whose schemas have no null type (the defect this replaced)', async () => {
    const document = openApiDocument({ title: 't', description: 'd', routes: thing(z.object({ id: z.string() })) });
    await expect(validate(document)).resolves.toBeDefined();
    await expect(validate({ ...document, openapi: '3.0.3' })).rejects.toThrow();
  });

  it('names each route its permission, or its openness, and the query values a caller may send', () => {
    const document = openApiDocument(HTTP_APIS.registry);
    const list = document.paths['/models/{name}/versions'].get;
    expect(list['x-mlops-permission']).toBe('models:read');
    expect(list.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'metric', in: 'query', required: false })]));
    expect(document.paths['/health/live'].get['x-mlops-public']).toBe(true);
  });

  it('declares the inference binary tensor extension beside the JSON body and answer', () => {
    type Content = { content: Record<string, unknown> };
    const infer = openApiDocument(HTTP_APIS['inference-gateway']).paths['/v2/models/{model}/infer'].post as { requestBody: Content; responses: Record<string, Content>; parameters: unknown[] };
    expect(Object.keys(infer.requestBody.content)).toEqual(['application/json', 'application/octet-stream']);
    expect(Object.keys(infer.responses['200'].content)).toEqual(['application/json', 'application/octet-stream']);
    expect(infer.parameters).toContainEqual(expect.objectContaining({ name: 'inference-header-content-length', in: 'header', required: false }));
  });
});

describe('published OpenAPI documents (npm run contracts:json-schema)', () => {
  it.each(Object.entries(HTTP_APIS))('%s: libs/contracts/openapi holds the document its contract derives', (service, api) => {
    const published: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', `${service}.openapi.json`), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(openApiDocument(api))));
  });
});
