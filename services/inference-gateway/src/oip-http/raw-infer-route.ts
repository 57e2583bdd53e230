import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import type { Http1Handler } from '../http1/http1-connection';
import { Http1FastPath } from '../http1/http1-fast-path';
import { headerValue, RequestHead } from '../http1/http1-request-head';
import { errorAnswer, HttpInferHandler, MAX_BODY_BYTES } from './http-infer-handler';
import { readBody, sendAnswer } from './send';

const INFER_PATH = /^\/v2\/models\/([^/?]+)(?:\/versions\/([^/?]+))?\/infer\/?(?:\?.*)?$/;
const HEAD_LIMIT_BYTES = 16 * 1024;
const IDLE_TIMEOUT_SECONDS = 5;

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * POST .../infer is the one route under load. With the fast path on (the default) it is read and answered on the
 * raw HTTP/1.1 path (http1/), which costs a fraction of Node's HTTP server plus Express and Nest routing on a small
 * tabular model. A connection moves to Node's server at its first other request; there, infer requests still skip
 * Express and Nest, so an answer never depends on what a connection carried before. All routes call one handler.
 */
@Injectable()
export class RawInferRoute implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private fastPath: Http1FastPath | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly handler: HttpInferHandler,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Until the fast path checks keys itself (ApiKeyAuthenticator), required keys send inference through the guard.
    if (!this.config.httpFastPath || this.config.requireKey) return;
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.fastPath = new Http1FastPath(server, { route: (head) => this.route(head), maxHeadBytes: HEAD_LIMIT_BYTES, maxBodyBytes: MAX_BODY_BYTES, idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS });
    const nest = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const handler = req.method === 'POST' && req.url ? this.handlerFor(req.url) : null;
      if (!handler) for (const listener of nest) listener.call(server, req, res);
      else void this.answerNodeRequest(handler, req, res);
    });
  }

  beforeApplicationShutdown(): void {
    this.fastPath?.close();
  }

  private route(head: RequestHead): Http1Handler | null {
    return head.method === 'POST' ? this.handlerFor(head.target) : null;
  }

  private async answerNodeRequest(handler: Http1Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = Object.entries(req.headers).flatMap(([name, value]) => (value === undefined ? [] : [name, Array.isArray(value) ? value[0] : value]));
    const head: RequestHead = { method: 'POST', target: req.url ?? '', minorVersion: 1, headers, length: 0 };
    try {
      sendAnswer(res, await handler({ head, body: await readBody(req, MAX_BODY_BYTES) }));
    } catch (err) {
      sendAnswer(res, errorAnswer(400, (err as Error).message));
    }
  }

  private handlerFor(target: string): Http1Handler | null {
    const match = INFER_PATH.exec(target);
    if (!match) return null;
    let model: string;
    let version: string | undefined;
    try {
      model = decodeURIComponent(match[1]);
      version = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    } catch {
      return async () => errorAnswer(400, 'the model name or version in the path is not valid percent-encoding');
    }
    return ({ head: h, body }) => this.handler.answer({ model, version, body, header: (name) => headerValue(h.headers, name) });
  }
}
