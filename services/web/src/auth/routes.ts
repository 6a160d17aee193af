import { ErrorResponse, LoginRequest, SessionResponse } from '@ad-race/contracts';
import type { CustomerProfile } from '@ad-race/catalog';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { customerView, type Accounts } from './accounts';
import type { Session, Sessions } from './session';

export interface AuthRoutesOptions {
  accounts: Accounts;
  sessions: Sessions;
  /** Called once a customer has logged in (the web server asks for an ad then). */
  onLogin(customer: CustomerProfile): void;
  /** Called once a session has ended (the web server closes its sockets then). */
  onLogout(session: Session): void;
}

/** POST /api/login, POST /api/logout and GET /api/session. */
export async function authRoutes(fastify: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/login',
    { schema: { body: LoginRequest, response: { 200: SessionResponse, 401: ErrorResponse } } },
    async (request, reply) => {
      const customer = await options.accounts.logIn(request.body.email, request.body.password);
      if (!customer) return reply.code(401).send({ error: 'wrong e-mail address or password' });
      options.sessions.start(reply, customer.id);
      request.log.info({ customerId: customer.id }, 'logged in');
      options.onLogin(customer);
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
