import { ErrorResponse, LoginRequest, SessionResponse } from '@ad-race/contracts';
import type { CustomerProfile } from '@ad-race/catalog';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { customerView, type Accounts } from './accounts';
import type { LoginThrottle } from './login-throttle';
import { TooManyPasswordChecks, type PasswordChecks } from './password-checks';
import type { Session, Sessions } from './session';

export interface AuthRoutesOptions {
  accounts: Accounts;
  sessions: Sessions;
  /** Login attempts one client address may make a minute (then 429, with Retry-After). */
  loginsPerMinute: number;
  /** Slows down the guessing of one account's password. */
  throttle: LoginThrottle;
  /** Bounds the password checks running at once. */
  passwordChecks: PasswordChecks;
  clock?: () => number;
  /** Called once a customer has logged in, with the new session (the web server asks for an ad then). */
  onLogin(customer: CustomerProfile, session: Session): void;
  /** Called once a session has ended (the web server closes its sockets then). */
  onLogout(session: Session): void;
}

/** POST /api/login, POST /api/logout and GET /api/session. */
export async function authRoutes(fastify: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const { throttle, passwordChecks, clock = Date.now } = options;

  app.post(
    '/api/login',
    {
      schema: { body: LoginRequest, response: { 200: SessionResponse, 401: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse } },
      // By client address, from @fastify/rate-limit (registered by the app): the count and Retry-After are its.
      config: { rateLimit: { max: options.loginsPerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const account = request.body.email.toLowerCase();
      const waitMs = throttle.waitMs(account, clock());
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        return reply.code(429).header('retry-after', String(seconds)).send({ error: `too many failed logins for this account: try again in ${seconds} s` });
      }
      let customer: CustomerProfile | null;
      try {
        customer = await passwordChecks.run(() => options.accounts.logIn(request.body.email, request.body.password));
      } catch (err) {
        if (!(err instanceof TooManyPasswordChecks)) throw err;
        return reply.code(503).header('retry-after', '1').send({ error: err.message });
      }
      if (!customer) {
        throttle.failed(account, clock());
        return reply.code(401).send({ error: 'wrong e-mail address or password' });
      }
      throttle.succeeded(account);
      const session = options.sessions.start(reply, customer.id);
      request.log.info({ customerId: customer.id }, 'logged in');
      options.onLogin(customer, session);
      return { customer: customerView(customer) };
    },
  );

  app.post('/api/logout', async (request, reply) => {
    const session = options.sessions.end(request, reply);
    if (session) {
      request.log.info({ customerId: session.customerId }, 'logged out');
      options.onLogout(session);
    }
    return reply.code(204).send();
  });

  app.get('/api/session', { schema: { response: { 200: SessionResponse, 401: ErrorResponse } } }, async (request, reply) => {
    const session = options.sessions.read(request);
    const customer = session ? options.accounts.profile(session.customerId) : undefined;
    if (!customer) return reply.code(401).send({ error: 'not logged in' });
    return { customer: customerView(customer) };
  });
}
