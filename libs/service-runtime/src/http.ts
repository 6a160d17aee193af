import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from './logger';

/** A Fastify server logging through the service's logger. Bodies are small here: anything over 16 KiB is refused. */
export function createHttpServer(logger: Logger): FastifyInstance {
  return Fastify({ loggerInstance: logger as FastifyBaseLogger, bodyLimit: 16 * 1024 });
}
