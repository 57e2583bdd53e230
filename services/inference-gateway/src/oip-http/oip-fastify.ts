import fastifyCompress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JsonLogger } from '@mlops/observability';
import type { GatewayConfig } from '../config/gateway-config';
import { OipHttpErrorFilter } from './oip-http-error.filter';
import { oipBodyParser } from './oip-http-body';

/**
 * The REST edge's Fastify set-up, before its routes exist: gzip and deflate request bodies inflated as they are read
 * (the body limit counts the inflated bytes) and responses compressed for callers that accept it (from 1 KiB), infer bodies parsed as OIP JSON or the binary tensor extension whatever
 * their content type (tritonclient sends none), and errors in OIP's form.
 */
export async function configureOipFastify(app: NestFastifyApplication, config: GatewayConfig): Promise<void> {
  await app.register(fastifyCompress, { encodings: ['gzip', 'deflate'], requestEncodings: ['gzip', 'deflate'] });
  app.useBodyParser(['application/json', 'application/octet-stream', '*'], { bodyLimit: config.maxRequestBytes }, oipBodyParser(app.getHttpAdapter().getInstance()));
  app.useGlobalFilters(new OipHttpErrorFilter(config.maxRequestBytes, app.get(JsonLogger)));
}
