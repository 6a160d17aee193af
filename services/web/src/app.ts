import { adClickedV1, adNeedV1, adServedV1, adSolutionV1, conversationOf, createSessionEndedV1, sessionEndedV1 } from '@ad-race/contracts';
import { createHttpServer, createLogger, createMetrics, createServiceBus, frontEnd, identify, operationsRoutes, pageSecurityHeaders, type Logger } from '@ad-race/service-runtime';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyError, FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { AdRaces } from './ads/ad-races';
import { adSocketRoute, socketErrorHandler } from './ads/ad-socket';
import { CustomerSockets } from './ads/customer-sockets';
import { raceMetrics } from './ads/race-metrics';
import { Accounts } from './auth/accounts';
import { LoginThrottle } from './auth/login-throttle';
import { PasswordChecks } from './auth/password-checks';
import { authRoutes } from './auth/routes';
import { Sessions } from './auth/session';
import type { WebConfig } from './config';

export { WebConfig, WebConfig as Config } from './config';

/** The largest WebSocket frame a browser may send, in bytes. */
export const MAX_FRAME_BYTES = 4096;

export interface WebAppDeps {
  config: WebConfig;
  /** Who can log in; the seeded demo accounts by default. */
  accounts?: Accounts;
  logger?: Logger;
}

/**
 * The web server: serves the page, logs customers in, and on every page view
 * publishes a need for an ad on the bus. Whichever ad service version answers
 * first wins; the ad goes to that customer's WebSocket.
 */
export async function buildApp({ config, accounts = new Accounts(), logger }: WebAppDeps): Promise<FastifyInstance> {
  const identity = identify('web', config.SERVICE_VERSION, config.INSTANCE_ID);
  const log = logger ?? createLogger(identity, config.LOG_LEVEL);
  const metrics = createMetrics(identity, ['fallback', 'shed']);
  const bus = createServiceBus({ config, identity, logger: log, metrics, publishes: [adNeedV1, adServedV1, adClickedV1, sessionEndedV1] });
  const sockets = new CustomerSockets();
  const sessions = new Sessions({ secureCookie: config.COOKIE_SECURE });
  const races = new AdRaces({ bus, identity, metrics: raceMetrics(metrics), log, sockets, deadlineMs: config.AD_DEADLINE_MS });

  // Writes version 1 of the needs; reads version 1 of the solutions, from every
  // version of the ad service, directly or through the schema adapter.
  // Every web instance hears every answer on its own queue, and drops the
  // answers to other instances' needs on their conversation id (the AMQP
  // correlationId), unparsed. One without a conversation id is parsed: checked,
  // and dead-lettered if broken (by every web instance, each on its own queue,
  // so once per instance); a valid one is in the conversation its body says.
  bus.subscribe({
    contract: adSolutionV1,
    queue: { kind: 'per-instance' },
    wants: (meta) => meta.conversationId === undefined || races.knows(meta.conversationId),
    handle: (solution, meta) => races.answer(solution, meta.conversationId ?? conversationOf(solution), meta.translatedBy !== undefined, meta.receivedAt),
  });

  // Reads session.ended, from every web instance (itself included): a logout ends the session
  // everywhere, and closes its sockets here too.
  bus.subscribe({
    contract: sessionEndedV1,
    queue: { kind: 'per-instance' },
    handle: ({ payload }) => {
      const session = { id: payload.sessionId, customerId: payload.customerId, expiresAt: Date.parse(payload.expiresAt) };
      sessions.markEnded(session);
      sockets.closeSession(session.customerId, session.id, 1008, 'logged out');
    },
  });

  if (!config.SESSION_SECRET) {
    log.warn('SESSION_SECRET is not set: sessions end when this process does and are not shared with other web instances');
  }

  const app = createHttpServer(log);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url}` }));

  // Security headers on every answer: the page loads its script, styles and socket from this origin only.
  // Strict-Transport-Security only where the site is served over HTTPS (COOKIE_SECURE says so).
  await pageSecurityHeaders(app, { secure: config.COOKIE_SECURE });
  await app.register(fastifyCookie, { secret: config.SESSION_SECRET ?? randomBytes(32).toString('hex') });
  await app.register(fastifyWebsocket, {
    // A browser's frames are a few dozen bytes: a larger one closes its socket with 1009.
    options: { maxPayload: MAX_FRAME_BYTES },
    errorHandler: socketErrorHandler,
    preClose: async function (this: FastifyInstance) {
      for (const client of this.websocketServer.clients) client.close(1001, 'the web server is shutting down');
    },
  });
  await app.register(operationsRoutes, { isReady: () => bus.isConnected, registry: metrics.registry });
  // Rate limits where a route asks for one (logins), by client address. Behind a proxy, the
  // address is the proxy's unless Fastify is told to trust it (left to the operator).
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `too many login attempts from this address: try again in ${context.after}` }),
  });
  await app.register(authRoutes, {
    accounts,
    sessions,
    loginsPerMinute: config.LOGINS_PER_MINUTE,
    throttle: new LoginThrottle(),
    passwordChecks: new PasswordChecks(config.PASSWORD_CHECKS_AT_ONCE, 16 * config.PASSWORD_CHECKS_AT_ONCE),
    // The login's ad goes to the first page this session opens a socket from.
    onLogin: (customer, session) => races.requestAd(customer, 'login', { customerId: customer.id, sessionId: session.id }),
    onLogout: (session) => {
      sockets.closeSession(session.customerId, session.id, 1008, 'logged out');
      const ended = createSessionEndedV1(identity, { sessionId: session.id, customerId: session.customerId, expiresAt: new Date(session.expiresAt).toISOString() });
      bus.publish(sessionEndedV1, ended).catch((err: Error) => log.warn({ err: err.message, customerId: session.customerId }, 'could not tell the other web instances of a logout'));
    },
  });
  await app.register(adSocketRoute, { accounts, sessions, races, sockets, pageViewsPerSecond: config.PAGE_VIEWS_PER_SECOND });
  // The monitor's dashboard, wherever it runs (DASHBOARD_URL): the page links to /dashboard.
  app.get('/dashboard', async (_request, reply) => reply.redirect(config.DASHBOARD_URL, 302));
  await app.register(frontEnd, { root: config.WEB_ROOT });

  app.addHook('onReady', () => bus.start());
  app.addHook('onClose', async () => {
    races.close();
    await bus.close();
  });
  return app;
}
