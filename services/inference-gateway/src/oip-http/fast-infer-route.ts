import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { HttpInferHandler } from './http-infer-handler';
import { sendJson } from './send';

const INFER_PATH = /^\/v2\/models\/([^/?]+)(?:\/versions\/([^/?]+))?\/infer\/?(?:\?.*)?$/;

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * POST .../infer is the one route under load. With the fast path on (the default), the HTTP server hands it
 * straight to the same handler the Nest controller uses, skipping Express routing, the body parsers and the
 * per-route middleware, which cost several times the model itself on a small tabular model; everything else
 * still goes through Nest. Inference requests are measured by the gateway's own infer metrics either way.
 */
@Injectable()
export class FastInferRoute implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly handler: HttpInferHandler,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.httpFastPath) return;
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const nest = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const match = req.method === 'POST' && req.url ? INFER_PATH.exec(req.url) : null;
      if (!match) {
        for (const listener of nest) listener.call(server, req, res);
        return;
      }
      let model: string;
      let version: string | undefined;
      try {
        model = decodeURIComponent(match[1]);
        version = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
      } catch {
        sendJson(res, 400, { error: 'the model name or version in the path is not valid percent-encoding' });
        return;
      }
      void this.handler.handle(model, version, req, res);
    });
  }
}
