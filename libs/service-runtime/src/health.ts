import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface OperationsRoutesOptions {
  /** Ready means able to do the service's work: connected to the broker. */
  isReady(): boolean;
  registry: Registry;
}

/** GET /health/live, GET /health/ready and GET /metrics (Prometheus text). */
export async function operationsRoutes(app: FastifyInstance, options: OperationsRoutesOptions): Promise<void> {
  app.get('/health/live', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { logLevel: 'warn' }, async (_req, reply) => {
    if (options.isReady()) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready', reason: 'not connected to the message broker' });
  });
  app.get('/metrics', { logLevel: 'warn' }, async (_req, reply) => {
    reply.type(options.registry.contentType);
    return options.registry.metrics();
  });
}
