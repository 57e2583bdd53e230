import { randomUUID } from 'node:crypto';
import { Permission, PERMISSION_EXTENSION, PUBLIC_EXTENSION, Role, ROLE_PERMISSIONS, ROLES, roleAllows } from '@mlops/auth';
import SwaggerParser from '@apidevtools/swagger-parser';
import { HTTP_APIS, openApiDocument, OPENAPI_VERSION, SERVICE_NAMES, ServiceName } from '@mlops/contracts';
import { CallerKey, getJson, sendJson, ServiceProcess, testApiKey } from '@mlops/testing';

type Operation = { [PERMISSION_EXTENSION]?: Permission; [PUBLIC_EXTENSION]?: boolean };
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

interface Route {
  service: ServiceName;
  method: string;
  path: string;
  operation: Operation;
}

/** A value each path parameter accepts as well formed, so a refusal can only come from the guard. */
function concrete(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_all, name: string) => {
    if (name === 'version') return '1';
    if (name === 'keyId') return '0123456789abcdef';
    if (/id$/i.test(name)) return randomUUID();
    return 'permission-walk';
  });
}

/** The least privileged role that is granted the permission, and one that is not (none when every role is). */
function rolesFor(permission: Permission): { granted: Role; denied: Role | undefined } {
  const byBreadth = [...ROLES].sort((a, b) => ROLE_PERMISSIONS[a].length - ROLE_PERMISSIONS[b].length);
  return {
    granted: byBreadth.find((role) => roleAllows(role, permission)) ?? 'admin',
    denied: byBreadth.find((role) => !roleAllows(role, permission)),
  };
}

/**
 * Every route every service serves, as its own OpenAPI document lists it: no key is 401, a role without the
 * route's permission is 403, a role with it is neither. A route that declares no permission fails the walk.
 */
describe('permission walk over every service OpenAPI document', () => {
  const services = new Map<ServiceName, ServiceProcess>();
  const routes: Route[] = [];
  const documents = new Map<ServiceName, OpenApi>();

  beforeAll(async () => {
    const started = await Promise.all(
      SERVICE_NAMES.map(async (service) => {
        const env: Record<string, string> =
          service === 'inference-gateway'
            ? { MLOPS_GATEWAY_REQUIRE_KEY: 'true', MLOPS_GATEWAY_GRPC_PORT: '0' }
            : service === 'feature-store'
              ? { MLOPS_FEATURE_STORE_GRPC_PORT: '0' }
              : {};
        return [service, await ServiceProcess.start(service, env)] as const;
      }),
    );
    for (const [service, proc] of started) services.set(service, proc);
    await Promise.all(started.map(([, proc]) => proc.waitUntilReady()));
    for (const [service, proc] of started) {
      const { body } = await getJson<OpenApi>(`${proc.url}/docs-json`, null);
      documents.set(service, body);
      for (const [path, methods] of Object.entries(body.paths)) {
        for (const [method, operation] of Object.entries(methods)) routes.push({ service, method: method.toUpperCase(), path, operation });
      }
    }
  });

  afterAll(async () => {
    await Promise.all([...services.values()].map((proc) => proc.stop()));
  });

  const call = (route: Route, key: CallerKey) => {
    const url = `${services.get(route.service)?.url}${concrete(route.path)}`;
    return sendJson(route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {}, key);
  };

  it('finds routes in every service', () => {
    expect(new Set(routes.map((r) => r.service))).toEqual(new Set(SERVICE_NAMES));
  });

  it('serves OpenAPI documents valid for the version they declare (swagger-parser)', async () => {
    for (const [service, document] of documents) {
      expect([service, document.openapi]).toEqual([service, OPENAPI_VERSION]);
      await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    }
  });

  it('serves, for every service, exactly the document its HTTP contract derives: no route outside it', () => {
    for (const service of SERVICE_NAMES) {
      const served = documents.get(service);
      expect({ service, paths: served?.paths }).toEqual({ service, paths: JSON.parse(JSON.stringify(openApiDocument(HTTP_APIS[service]).paths)) });
    }
  });

  it('declares a permission, or openness, for every route', () => {
    const undeclared = routes.filter((r) => !r.operation[PERMISSION_EXTENSION] && !r.operation[PUBLIC_EXTENSION]);
    expect(undeclared.map((r) => `${r.service} ${r.method} ${r.path}`)).toEqual([]);
  });

  it('answers 401 without a key, 403 to a role without the permission, and neither to a role with it', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const name = `${route.service} ${route.method} ${route.path}`;
      const permission = route.operation[PERMISSION_EXTENSION];
      if (!permission) {
        const open = await call(route, null);
        if (open.status === 401 || open.status === 403) wrong.push(`${name} is public but answered ${open.status} without a key`);
        continue;
      }
      const { granted, denied } = rolesFor(permission);
      const anonymous = await call(route, null);
      if (anonymous.status !== 401) wrong.push(`${name} answered ${anonymous.status} without a key, not 401`);
      if (denied) {
        const refused = await call(route, testApiKey(denied));
        if (refused.status !== 403) wrong.push(`${name} answered ${refused.status} to ${denied} (no ${permission}), not 403`);
      }
      const allowed = await call(route, testApiKey(granted));
      if (allowed.status === 401 || allowed.status === 403) wrong.push(`${name} answered ${allowed.status} to ${granted} (granted ${permission})`);
    }
    expect(wrong).toEqual([]);
  });
});
