import { Body, Controller, Get, INestApplication, Param, Post } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { IncomingHttpHeaders, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { JsonLogger } from './json-logger';
import { logContext } from './log-context';
import { createMetricsRegistry } from './metrics-registry';
import { ObservabilityModule } from './observability.module';
import { ReadinessProbe } from './readiness';

@Controller('models')
class ModelsController {
  constructor(private readonly logger: JsonLogger) {}

  @Get(':name')
  get(@Param('name') name: string): { name: string; requestId?: string } {
    this.logger.log(`looked up ${name}`, 'ModelsController');
    return { name, requestId: logContext.current().requestId };
  }

  /** After the body is read: the log context must survive the wait for it. */
  @Post(':name/notes')
  note(@Param('name') name: string, @Body() body: { note: string }): { note: string; requestId?: string } {
    this.logger.log(`noted ${name}`, 'ModelsController');
    return { note: body.note, requestId: logContext.current().requestId };
  }
}

/** A JSON POST whose body is written a while after its head, so the server reads it in a later turn. */
async function postLate(app: INestApplication, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const server = app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, host: '127.0.0.1', path, method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.flushHeaders();
    setTimeout(() => req.end(body), 50);
  });
}

/** A probe whose state the test flips. */
function switchableProbe(name: string): ReadinessProbe & { failWith?: string } {
  const probe: ReadinessProbe & { failWith?: string } = {
    name,
    async check() {
      if (probe.failWith) throw new Error(probe.failWith);
    },
  };
  return probe;
}

describe.each(['express', 'fastify'] as const)('ObservabilityModule on %s', (adapter) => {
  const kafka = switchableProbe('kafka');
  const postgres = switchableProbe('postgres');
  const logLines: Record<string, unknown>[] = [];
  let started = true;
  let app: INestApplication;

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObservabilityModule.forRoot({
          service: 'inference-gateway',
          registry: createMetricsRegistry('inference-gateway'),
          probes: [kafka, postgres],
          isStarted: () => started,
          logger: new JsonLogger({ service: 'inference-gateway', level: 'info', destination }),
        }),
      ],
      controllers: [ModelsController],
    }).compile();
    app = adapter === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
    // The UI's static files need @fastify/static, which Jest's module loader cannot load (an ES module dependency);
    // the gateway's integration spec asks a running Fastify service for /docs.
    SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, new DocumentBuilder().build()), { jsonDocumentUrl: 'docs-json', ui: adapter === 'express' });
    await app.init();
    if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    kafka.failWith = undefined;
    postgres.failWith = undefined;
    started = true;
  });

  it('answers liveness', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('is ready when every probe passes', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body).toEqual({
      status: 'ready',
      checks: { startup: { status: 'up' }, kafka: { status: 'up' }, postgres: { status: 'up' } },
    });
  });

  it('is 503 naming the failing probe and its error', async () => {
    postgres.failWith = 'connect ECONNREFUSED 127.0.0.1:5432';
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body).toEqual({
      status: 'not_ready',
      checks: {
        startup: { status: 'up' },
        kafka: { status: 'up' },
        postgres: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:5432' },
      },
    });
  });

  it('is 503 while the service has not finished starting', async () => {
    started = false;
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.checks.startup).toEqual({ status: 'down', error: 'the service is still starting' });
  });

  it('echoes the caller request id and makes it the log context of the request', async () => {
    const res = await request(app.getHttpServer()).get('/models/iris').set('x-request-id', 'trace-abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    expect(res.body).toEqual({ name: 'iris', requestId: 'trace-abc-123' });
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: 'looked up iris', requestId: 'trace-abc-123', service: 'inference-gateway' }),
    );
  });

  it('keeps the log context across reading a request body that arrives after its head', async () => {
    const res = await postLate(app, '/models/iris/notes', { 'x-request-id': 'trace-body-1' }, JSON.stringify({ note: 'late' }));
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('trace-body-1');
    expect(JSON.parse(res.body)).toEqual({ note: 'late', requestId: 'trace-body-1' });
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'noted iris', requestId: 'trace-body-1' }));
  });

  it('generates a request id when the caller sends none or an unusable one', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const none = await request(app.getHttpServer()).get('/models/iris').expect(200);
    expect(none.headers['x-request-id']).toMatch(uuid);
    expect(none.body.requestId).toBe(none.headers['x-request-id']);
    const bad = await request(app.getHttpServer()).get('/models/iris').set('x-request-id', 'a b\tc').expect(200);
    expect(bad.headers['x-request-id']).toMatch(uuid);
  });

  it('serves metrics with the HTTP counter labelled by service and route pattern', async () => {
    await request(app.getHttpServer()).get('/models/first').expect(200);
    await request(app.getHttpServer()).get('/models/second').expect(200);
    await request(app.getHttpServer()).get('/no/such/route').expect(404);
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const counter = (route: string, status: number) =>
      new RegExp(
        `^mlops_inference_gateway_http_requests_total\\{method="GET",route="${route}",status="${status}",service="inference-gateway"\\} \\d+$`,
        'm',
      );
    expect(res.text).toMatch(counter('/models/:name', 200));
    expect(res.text).toMatch(counter('unmatched', 404));
    expect(res.text).not.toContain('/models/first');
    expect(res.text).toMatch(/^mlops_inference_gateway_http_request_duration_seconds_count\{.*route="\/models\/:name"/m);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total\{service="inference-gateway"\}/m);
  });

  it('serves the OpenAPI document', async () => {
    const json = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/health/ready', '/models/{name}']));
  });

  it('documents health and metrics under the health tag', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      expect(document.paths[path].get?.tags).toEqual(['health']);
    }
  });
});
