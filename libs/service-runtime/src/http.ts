import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from './logger';

/**
 * A Fastify server logging through the service's logger. Bodies are small
 * here: anything over 16 KiB is refused. Bodies must match their schema as
 * sent: no coercion of 42 into "42", and a field the schema does not allow is
 * refused, not silently dropped.
 */
export function createHttpServer(logger: Logger): FastifyInstance {
  return Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 16 * 1024,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
}
