import { browserMessageValidator, type ErrorMessage } from '@ad-race/contracts';
import type { CustomerProfile } from '@ad-race/catalog';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import type { Accounts } from '../auth/accounts';
import type { Session, Sessions } from '../auth/session';
import type { AdRaces } from './ad-races';
import { sendTo, type CustomerSockets } from './customer-sockets';

export interface AdSocketOptions {
  accounts: Accounts;
  sessions: Sessions;
  races: AdRaces;
  sockets: CustomerSockets;
  /** Page views one socket may send a second, on average; twice that in a burst. */
  pageViewsPerSecond: number;
}

/** Sockets one customer may hold open at once (tabs, devices). */
const MAX_SOCKETS_PER_CUSTOMER = 8;

const FRAME_HELP =
  'expected a JSON object {"type":"page","page":"<name>"} with a page name of lower-case words joined by dashes, or {"type":"click","needId":"<the id of an ad shown>"}';

/**
 * GET /api/ws: the customer's WebSocket. It opens only with a valid session,
 * from this site's pages, up to a few per customer; it takes a bounded rate
 * of page views. It closes at once when its session logs out, and at its first
 * page view after the session has expired.
 * Browser to server: {"type":"page","page":"<name>"} fires a new need and race;
 * {"type":"click","needId":"<id>"} says the customer clicked that ad.
 * Server to browser: "ad", "race" and "error" messages (see @ad-race/contracts).
 */
export async function adSocketRoute(app: FastifyInstance, { accounts, sessions, races, sockets, pageViewsPerSecond }: AdSocketOptions): Promise<void> {
  const opened = new WeakMap<FastifyRequest, { customer: CustomerProfile; session: Session }>();

  async function requireCustomer(request: FastifyRequest, reply: FastifyReply) {
    // A browser names the page that opens a socket: only this site's own pages may.
    const origin = request.headers.origin;
    if (origin !== undefined && hostOf(origin) !== request.headers.host) return reply.code(403).send({ error: 'the ad socket is for this site’s pages only' });
    const session = sessions.read(request);
    const customer = session ? accounts.profile(session.customerId) : undefined;
    if (!session || !customer) return reply.code(401).send({ error: 'log in first: the ad socket needs a session' });
    if (sockets.count(customer.id) >= MAX_SOCKETS_PER_CUSTOMER) return reply.code(429).send({ error: 'too many ad sockets open for this customer' });
    opened.set(request, { customer, session });
  }

  app.get('/api/ws', { websocket: true, preValidation: requireCustomer }, (socket, request) => {
    const { customer, session } = opened.get(request)!;
    const log = request.log.child({ customerId: customer.id });
    // A token bucket: each page view takes a token; tokens come back at pageViewsPerSecond.
    const burst = 2 * pageViewsPerSecond;
    let tokens = burst;
    let refilledAt = Date.now();
    // Listeners first, before anything that could wait: early frames must not be lost.
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!sessions.isActive(session)) return socket.close(1008, 'the session has ended: log in again');
      const now = Date.now();
      tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * pageViewsPerSecond);
      refilledAt = now;
      if (tokens < 1) return socket.close(1008, 'too many page views');
      tokens -= 1;
      if (isBinary) return socket.close(1003, 'frames must be JSON text');
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return socket.close(1003, 'frames must be JSON text');
      }
      if (!browserMessageValidator.Check(frame)) {
        const error: ErrorMessage = { type: 'error', message: FRAME_HELP };
        return sendTo(socket, error);
      }
      // The ad and the race summary go back to this socket: the tab (or device) whose page asked.
      if (frame.type === 'page') races.requestAd(customer, frame.page, { socket });
      else races.click(customer.id, frame.needId);
    });
    socket.on('close', () => sockets.remove(customer.id, socket));
    // Errors on the socket are logged once, by socketErrorHandler (registered with the plugin).
    sockets.add(customer.id, session.id, socket);
    log.info('ad socket open');
  });
}

/**
 * What to do when a WebSocket fails (the @fastify/websocket plugin's
 * errorHandler). A client that breaks the protocol or its limits, such as a
 * frame larger than `maxPayload`, made a mistake the server handled: `ws` has
 * already closed the socket with the code that says why (1009 for a frame too
 * large), and this logs one line, a warning without a stack trace. Anything
 * else is the server's own error, logged with its stack, and the socket is dropped.
 */
export function socketErrorHandler(error: Error & { code?: string }, socket: { terminate(): void }, request: FastifyRequest): void {
  if (typeof error.code === 'string' && error.code.startsWith('WS_ERR_')) {
    request.log.warn({ code: error.code, reason: error.message }, 'closed an ad socket: the client broke the WebSocket protocol or its limits');
    return;
  }
  request.log.error({ err: error }, 'ad socket failed');
  socket.terminate();
}

/** The host an Origin header names; null for "null" (sandboxed pages, files) and anything that is not a URL. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
