import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { InferenceDataPlane } from '../inference/inference-data-plane';
import { InferenceError, invalid } from '../inference/inference-error';
import { parseHttpInferRequest } from './oip-http-request';
import { encodeHttpInferResponse } from './oip-http-response';
import { send, sendJson } from './send';

export const HEADER_LENGTH = 'inference-header-content-length';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A request as the handler sees it: `body` is set when a JSON body parser has already read it. */
export type InferHttpRequest = IncomingMessage & { body?: unknown };

const STATUS = { invalid_argument: 400, not_found: 404, unavailable: 503 } as const;

/**
 * One HTTP inference exchange, whichever router delivered it (the Nest controller or the fast path): reads the
 * body (JSON, or the binary tensor extension), asks the data plane, writes the OIP response or error.
 */
@Injectable()
export class HttpInferHandler {
  constructor(
    private readonly dataPlane: InferenceDataPlane,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async handle(model: string, version: string | undefined, req: InferHttpRequest, res: ServerResponse): Promise<void> {
    try {
      await this.serve(model, version, req, res);
    } catch (err) {
      if (err instanceof InferenceError) sendJson(res, STATUS[err.kind], { error: err.message });
      else sendJson(res, 500, { error: 'internal error while serving the request' });
    }
  }

  private async serve(model: string, version: string | undefined, req: InferHttpRequest, res: ServerResponse): Promise<void> {
    let json = req.body;
    let binary: Buffer | null = null;
    const headerLength = req.headers[HEADER_LENGTH];
    if (headerLength !== undefined) {
      const length = Number(headerLength);
      const whole = await readBody(req);
      if (!Number.isInteger(length) || length < 0 || length > whole.length) throw invalid(`${HEADER_LENGTH} ${String(headerLength)} does not fit a body of ${whole.length} bytes`);
      json = parseJson(whole.subarray(0, length));
      binary = whole.subarray(length);
    } else if (json === undefined) {
      // Nothing parsed it yet: the fast path, or a client (tritonclient) sending JSON without a content type.
      json = parseJson(await readBody(req));
    }
    const parsed = parseHttpInferRequest(json, binary, this.config.maxRequestRows);
    const routingKey = (name: string) => {
      const parameter = parsed.parameters[name];
      if (typeof parameter === 'string' || typeof parameter === 'number') return String(parameter);
      const header = req.headers[name.toLowerCase()];
      return Array.isArray(header) ? header[0] : header;
    };
    const response = await this.dataPlane.infer({ ...parsed.request, protocol: 'http', modelName: model, version, routingKey });
    const encoded = encodeHttpInferResponse(response, (name) => parsed.binaryOutputs.has(name) || parsed.binaryByDefault);
    if (encoded.headerLength !== null) {
      send(res, 200, encoded.body, 'application/octet-stream', [HEADER_LENGTH, String(encoded.headerLength)]);
    } else {
      send(res, 200, encoded.body);
    }
  }
}

/** Event-based rather than `for await`: the stream async iterator costs more than the model run on small bodies. */
function readBody(req: InferHttpRequest): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) return Promise.resolve(req.body);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(invalid(`request body is larger than ${MAX_BODY_BYTES} bytes`));
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalid(`request body is not valid JSON: ${(err as Error).message}`);
  }
}
