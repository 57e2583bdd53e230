import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Counter, Histogram, Registry } from 'prom-client';
import { ApiKeyAuthenticator, AuthFailure, bearerChallenge, refusalBody } from '@mlops/auth';
import { JsonLogger, metricName } from '@mlops/observability';
import { InvalidOnlineRequestError, OnlineFeatures } from '../online/online-features';
import { onlineFeaturesJson } from '../online/online-features-json';
import { parseOnlineRequest } from '../online/online-request';

const ROUTE = '/online-features';
// The limit Nest's JSON body parser applies to every other route.
const MAX_BODY_BYTES = 100 * 1024;
const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The status and the JSON text of the body, and any header beyond the usual ones. */
type Reply = { status: number; json: string; headers?: Record<string, string> };

/**
 * POST /online-features straight on node:http, in front of Express and Nest's pipeline, which cost more than
 * the read itself at thousands of requests a second. Only the edge is different: the key is checked by the same
 * authenticator as the guard, the body is validated by the same schema, the same OnlineFeatures use case reads,
 * and errors have Nest's shape and status. Every other request goes on to Nest untouched.
 */
@Injectable()
export class OnlineFeaturesHttpFront implements OnApplicationBootstrap {
  private readonly log: JsonLogger;
  private requests: Counter | undefined;
  private duration: Histogram | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly online: OnlineFeatures,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly registry: Registry,
    logger: JsonLogger,
  ) {
    this.log = logger.child('OnlineFeaturesHttpFront');
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    const listeners = server?.listeners('request') ?? [];
    if (!server || listeners.length !== 1) {
      this.log.warn(`${ROUTE} stays on the Nest controller: the HTTP server is not the plain node:http server expected`);
      return;
    }
    // The service's HTTP metrics, so dashboards see this route like any other.
    this.requests = this.registry.getSingleMetric(metricName('feature-store', 'http_requests_total')) as Counter | undefined;
    this.duration = this.registry.getSingleMetric(metricName('feature-store', 'http_request_duration_seconds')) as Histogram | undefined;
    const nest = listeners[0] as RequestListener;
    server.removeListener('request', nest);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'POST' && (req.url === ROUTE || req.url?.startsWith(`${ROUTE}?`))) this.serve(req, res);
      else nest(req, res);
    });
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const given = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
    // The body stays unread (paused) until the key is accepted.
    this.authenticator.authenticate(req.headers.authorization, 'features:read').then(
      (outcome) => {
        if (outcome.ok) return this.readAndAnswer(req, res, requestId, started);
        req.resume();
        this.send(res, requestId, started, refusal(outcome, req.headers.authorization !== undefined));
      },
      (err: Error) => this.fail(res, requestId, started, err),
    );
  }

  private readAndAnswer(req: IncomingMessage, res: ServerResponse, requestId: string, started: bigint): void {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
      req.resume();
      this.send(res, requestId, started, badRequest(`content-type: expected application/json, got ${type || 'none'}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) {
        this.send(res, requestId, started, { status: 413, json: JSON.stringify({ message: 'request entity too large', error: 'Payload Too Large', statusCode: 413 }) });
        return;
      }
      this.answer(Buffer.concat(chunks, size).toString('utf8')).then(
        (reply) => this.send(res, requestId, started, reply),
        (err: Error) => this.fail(res, requestId, started, err),
      );
    });
  }

  private fail(res: ServerResponse, requestId: string, started: bigint, err: Error): void {
    this.log.error(`${ROUTE} failed (request ${requestId}): ${err.message}`, err.stack);
    this.send(res, requestId, started, { status: 500, json: JSON.stringify({ statusCode: 500, message: 'Internal server error' }) });
  }

  private async answer(text: string): Promise<Reply> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return badRequest(`(body): not valid JSON: ${(err as Error).message}`);
    }
    const parsed = parseOnlineRequest(body);
    if (!parsed.ok) return badRequest(parsed.reasons);
    try {
      return { status: 200, json: onlineFeaturesJson(await this.online.read(parsed.request.entities, parsed.request.features)) };
    } catch (err) {
      if (err instanceof InvalidOnlineRequestError) return badRequest(err.message);
      throw err;
    }
  }

  private send(res: ServerResponse, requestId: string, started: bigint, reply: Reply): void {
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(reply.json),
      [REQUEST_ID_HEADER]: requestId,
      ...reply.headers,
    });
    res.end(reply.json);
    const labels = { method: 'POST', route: ROUTE, status: String(reply.status) };
    this.requests?.inc(labels);
    this.duration?.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

function refusal(failure: AuthFailure, keyGiven: boolean): Reply {
  const headers = failure.status === 401 ? { 'www-authenticate': bearerChallenge(failure, keyGiven) } : undefined;
  return { status: failure.status, json: JSON.stringify(refusalBody(failure)), headers };
}

function badRequest(message: string | string[]): Reply {
  return { status: 400, json: JSON.stringify({ message, error: 'Bad Request', statusCode: 400 }) };
}
