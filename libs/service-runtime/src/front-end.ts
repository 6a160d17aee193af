import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Serves the built front end (web/, built into WEB_ROOT by `npm run build`),
 * with `index` as the page at `/`: the customer page for the web service, the
 * dashboard for the monitor.
 */
export async function frontEnd(app: FastifyInstance, options: { root: string; index?: string }): Promise<void> {
  const root = resolve(options.root);
  const index = options.index ?? 'index.html';
  if (!existsSync(resolve(root, index))) {
    app.log.warn({ root }, 'the front end is not built: run `npm run build`');
    app.get('/', async (_request, reply) => reply.code(503).type('text/plain').send(`The front end is not built (no ${root}/${index}): run \`npm run build\`.\n`));
    return;
  }
  await app.register(fastifyStatic, { root, index });
}

/**
 * Security headers on every answer of a service that serves a page: it loads its
 * script, styles, fetches, sockets and event streams from its own origin only; no
 * inline script or style, no other site, no frames around it. `secure` (the site
 * is served over HTTPS) adds Strict-Transport-Security and upgrades requests.
 * Call it on the server itself (await pageSecurityHeaders(app, …)), not through
 * app.register: the headers must reach every route, not those of a child context.
 */
export async function pageSecurityHeaders(app: FastifyInstance, options: { secure: boolean }): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"], // fetch, WebSockets and event streams to this same host
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.secure ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
  });
}
