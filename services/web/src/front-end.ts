import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Serves the built front end (web/, built into WEB_ROOT by `npm run build`). */
export async function frontEnd(app: FastifyInstance, options: { root: string }): Promise<void> {
  const root = resolve(options.root);
  if (!existsSync(resolve(root, 'index.html'))) {
    app.log.warn({ root }, 'the front end is not built: run `npm run build`');
    app.get('/', async (_request, reply) => reply.code(503).type('text/plain').send(`The front end is not built (no ${root}/index.html): run \`npm run build\`.\n`));
    return;
  }
  await app.register(fastifyStatic, { root, index: 'index.html' });
}
