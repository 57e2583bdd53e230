import type { FastifyInstance } from 'fastify';
import { HttpMetrics, UNMATCHED_ROUTE } from './http-metrics';
import { logContext } from './log-context';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';

/**
 * Fastify's counterpart of the Express middleware: the request id, returned to the caller and made the log context of
 * everything the request causes (its body is read and its handler run inside that context), and HTTP metrics
 * labelled by the route pattern Fastify matched.
 */
export function instrumentFastify(fastify: FastifyInstance, metrics: HttpMetrics): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const requestId = requestIdOf(request.headers[REQUEST_ID_HEADER]);
    reply.header(REQUEST_ID_HEADER, requestId);
    logContext.run({ requestId }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.record({ method: request.method, route: request.routeOptions.url ?? UNMATCHED_ROUTE, status: reply.statusCode }, reply.elapsedTime / 1000);
    done();
  });
}
