import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../inference/inference-error';

export const HEADER_LENGTH = 'inference-header-content-length';

/** An infer request body: the JSON part, and with the binary tensor extension the raw bytes after it. */
export interface OipHttpBody {
  json: unknown;
  binary: Buffer | null;
}

type ParseDone = (err: Error | null, body?: OipHttpBody) => void;

/**
 * A Fastify content-type parser for infer requests. Without `Inference-Header-Content-Length` the body is JSON; with
 * it (the binary tensor extension) its first that-many bytes are the JSON header and the rest the tensors' raw bytes.
 * The JSON is read by Fastify's own parser (prototype poisoning refused).
 */
export function oipBodyParser(fastify: FastifyInstance): (request: FastifyRequest, body: Buffer, done: ParseDone) => void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const json = (request: FastifyRequest, bytes: Buffer, binary: Buffer | null, done: ParseDone) =>
    parseJson(request, bytes.toString('utf8'), (err, parsed) => (err ? done(invalid(`request body is not valid JSON: ${err.message}`)) : done(null, { json: parsed, binary })));
  return (request, body, done) => {
    const headerLength = request.headers[HEADER_LENGTH];
    if (headerLength === undefined) return json(request, body, null, done);
    const length = Number(headerLength);
    if (!Number.isInteger(length) || length < 0 || length > body.length) return done(invalid(`${HEADER_LENGTH} ${headerLength} does not fit a body of ${body.length} bytes`));
    json(request, body.subarray(0, length), body.subarray(length), done);
  };
}
