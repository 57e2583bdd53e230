import { Controller, ExecutionContext, Get, INestApplication, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { RpcException } from '@nestjs/microservices';
import { Metadata, status } from '@grpc/grpc-js';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { generateApiKey } from './api-key';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { KeyDirectory } from './key-directory';
import type { Principal } from './principal';
import { CurrentPrincipal, PublicRoute, RequirePermission } from './route-permission.decorator';
import { hashSecret } from './secret-hash';

@Controller()
class SampleController {
  @Get('open')
  @PublicRoute()
  open(): string {
    return 'open';
  }

  @Get('models')
  @RequirePermission('models:read')
  models(@CurrentPrincipal() principal: Principal): { name: string } {
    return { name: principal.name };
  }

  @Get('forgotten')
  forgotten(): string {
    return 'should never answer';
  }
}

@Controller('keys')
@RequirePermission('keys:manage')
class ClassLevelController {
  @Get()
  list(): string {
    return 'keys';
  }
}

describe('ApiKeyGuard', () => {
  let app: INestApplication;
  const auditor = generateApiKey();

  beforeAll(async () => {
    const directory = new KeyDirectory();
    directory.apply({
      keyId: auditor.keyId,
      principal: { id: randomUUID(), name: 'carol', kind: 'person', roles: ['auditor'] },
      secretHash: await hashSecret(auditor.secret, { N: 1024, r: 8, p: 1 }),
      createdAt: '2026-01-01T00:00:00Z',
      expiresAt: null,
      revokedAt: null,
      changedBy: 'admin',
    });
    directory.markLoaded();

    @Module({
      controllers: [SampleController, ClassLevelController],
      providers: [{ provide: ApiKeyAuthenticator, useValue: new ApiKeyAuthenticator(directory) }, { provide: APP_GUARD, useClass: ApiKeyGuard }],
    })
    class SampleModule {}

    app = (await Test.createTestingModule({ imports: [SampleModule] }).compile()).createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  it('opens public routes to anyone', async () => {
    await request(app.getHttpServer()).get('/open').expect(200, 'open');
  });

  it('answers 401 with the reason and a Bearer challenge when no key is sent', async () => {
    const res = await request(app.getHttpServer()).get('/models').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="mlops"');
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      reason: 'missing-key',
      message: 'models:read needs an API key: send "Authorization: Bearer <key>"',
      permission: 'models:read',
    });
  });

  it('says the token was the problem when a bad key is sent', async () => {
    const res = await request(app.getHttpServer()).get('/models').set('authorization', `Bearer ${generateApiKey().apiKey}`).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.reason).toBe('unknown-key');
  });

  it('hands the principal to the route', async () => {
    await request(app.getHttpServer()).get('/models').set('authorization', `Bearer ${auditor.apiKey}`).expect(200, { name: 'carol' });
  });

  it('applies a permission declared on the controller to its routes', async () => {
    const res = await request(app.getHttpServer()).get('/keys').set('authorization', `Bearer ${auditor.apiKey}`).expect(403);
    expect(res.body).toMatchObject({ reason: 'permission-denied', permission: 'keys:manage' });
  });

  it('closes a route that declares nothing, even to a valid key', async () => {
    const res = await request(app.getHttpServer()).get('/forgotten').set('authorization', `Bearer ${auditor.apiKey}`).expect(403);
    expect(res.body).toMatchObject({ reason: 'route-undeclared' });
    expect(res.body.message).toContain('GET /forgotten declares no permission');
  });
});

describe('ApiKeyGuard on gRPC calls', () => {
  class Service {
    @RequirePermission('models:read')
    read(): void {}

    forgotten(): void {}
  }
  const scientist = generateApiKey();
  let guard: ApiKeyGuard;

  beforeAll(async () => {
    const directory = new KeyDirectory();
    directory.apply({
      keyId: scientist.keyId,
      principal: { id: randomUUID(), name: 'dora', kind: 'person', roles: ['data-scientist'] },
      secretHash: await hashSecret(scientist.secret, { N: 1024, r: 8, p: 1 }),
      createdAt: '2026-01-01T00:00:00Z',
      expiresAt: null,
      revokedAt: null,
      changedBy: 'admin',
    });
    directory.markLoaded();
    guard = new ApiKeyGuard(new Reflector(), new ApiKeyAuthenticator(directory));
  });

  function call(handler: 'read' | 'forgotten', authorization?: string): ExecutionContext {
    const metadata = new Metadata();
    if (authorization) metadata.set('authorization', authorization);
    return {
      getType: () => 'rpc',
      getHandler: () => Service.prototype[handler],
      getClass: () => Service,
      switchToRpc: () => ({ getContext: () => metadata, getData: () => ({}) }),
    } as unknown as ExecutionContext;
  }

  const refusal = (context: ExecutionContext) => guard.canActivate(context).then(() => null, (err: RpcException) => err.getError());

  it('admits a call whose authorization metadata carries a key with the permission', async () => {
    await expect(guard.canActivate(call('read', `Bearer ${scientist.apiKey}`))).resolves.toBe(true);
  });

  it('refuses a call without a key as UNAUTHENTICATED naming the reason', async () => {
    expect(await refusal(call('read'))).toEqual({ code: status.UNAUTHENTICATED, details: expect.stringMatching(/^missing-key: models:read needs an API key/) });
  });

  it('closes a method that declares no permission', async () => {
    expect(await refusal(call('forgotten', `Bearer ${scientist.apiKey}`))).toMatchObject({ code: status.PERMISSION_DENIED, details: expect.stringMatching(/^route-undeclared/) });
  });
});
