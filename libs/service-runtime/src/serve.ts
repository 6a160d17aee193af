import type { FastifyInstance } from 'fastify';

/**
 * Listens, then closes cleanly on SIGTERM or SIGINT: Fastify stops accepting
 * requests and runs its onClose hooks (stop consuming, finish the messages in
 * hand, close the channels). A close that hangs is cut short.
 */
export async function serve(app: FastifyInstance, options: { port: number; host: string; closeTimeoutMs?: number }): Promise<void> {
  const timeoutMs = options.closeTimeoutMs ?? 10_000;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error({ timeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await app.listen({ port: options.port, host: options.host });
}
