import { pageViewValidator, type ErrorMessage } from '@ad-race/contracts';
import type { CustomerProfile } from '@ad-race/catalog';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import type { Accounts } from '../auth/accounts';
import { sessionCustomerId } from '../auth/session';
import type { AdRaces } from './ad-races';
import type { CustomerSockets } from './customer-sockets';

export interface AdSocketOptions {
  accounts: Accounts;
  races: AdRaces;
  sockets: CustomerSockets;
}

const PAGE_VIEW_HELP = 'expected a JSON object {"type":"page","page":"<name>"} with a page name of lower-case words joined by dashes';

/**
 * GET /api/ws: the customer's WebSocket. It opens only with a valid session.
 * Browser to server: {"type":"page","page":"<name>"} fires a new need and race.
 * Server to browser: "ad", "race" and "error" messages (see @ad-race/contracts).
 */
export async function adSocketRoute(app: FastifyInstance, { accounts, races, sockets }: AdSocketOptions): Promise<void> {
  const customers = new WeakMap<FastifyRequest, CustomerProfile>();

  async function requireCustomer(request: FastifyRequest, reply: FastifyReply) {
    const customerId = sessionCustomerId(request);
    const customer = customerId ? accounts.profile(customerId) : undefined;
    if (!customer) return reply.code(401).send({ error: 'log in first: the ad socket needs a session' });
    customers.set(request, customer);
  }

  app.get('/api/ws', { websocket: true, preValidation: requireCustomer }, (socket, request) => {
    const customer = customers.get(request)!;
    const log = request.log.child({ customerId: customer.id });
    // Listeners first, before anything that could wait: early frames must not be lost.
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return socket.close(1003, 'frames must be JSON text');
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return socket.close(1003, 'frames must be JSON text');
      }
      if (!pageViewValidator.Check(frame)) {
        const error: ErrorMessage = { type: 'error', message: PAGE_VIEW_HELP };
        return socket.send(JSON.stringify(error));
      }
      races.requestAd(customer, frame.page);
    });
    socket.on('close', () => sockets.remove(customer.id, socket));
    socket.on('error', (err) => log.warn({ err: err.message }, 'socket error'));
    sockets.add(customer.id, socket);
    log.info('ad socket open');
  });
}
