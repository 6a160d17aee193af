import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'ad_race_session';
const SESSION_HOURS = 8;
const SESSION_MS = SESSION_HOURS * 3600_000;

export interface Session {
  /** A random id, so that one session can be ended without ending the customer's others. */
  id: string;
  customerId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** What the session cookie holds, before @fastify/cookie signs it. */
export function sessionCookieValue(session: Session): string {
  return `${session.customerId}|${session.expiresAt}|${session.id}`;
}

export interface SessionsOptions {
  /** Send the cookie over HTTPS only. */
  secureCookie: boolean;
  /** Ended sessions remembered until they would have expired; past this many, the oldest are forgotten. */
  maxEnded?: number;
}

/**
 * Sessions live in a signed cookie (HMAC by @fastify/cookie with SESSION_SECRET)
 * holding a session id, the customer id and an expiry, so any web instance
 * sharing the secret can read them and none has to store them. Logging out
 * clears the cookie and remembers the session as ended until it would have
 * expired (the last 100,000 of them, in memory), so a copy of the cookie no
 * longer works. Every web instance hears of it on the bus (session.ended) and
 * remembers it too; one started after the logout does not know of it, and
 * there a copied cookie works until it expires (a shared session store would
 * close that, which this project leaves out).
 */
export class Sessions {
  /** Ended session id -> when it would have expired. In the order they ended. */
  private readonly ended = new Map<string, number>();
  private readonly maxEnded: number;

  constructor(
    private readonly options: SessionsOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.maxEnded = options.maxEnded ?? 100_000;
  }

  start(reply: FastifyReply, customerId: string): Session {
    const session = { id: randomBytes(16).toString('base64url'), customerId, expiresAt: this.clock() + SESSION_MS };
    reply.setCookie(SESSION_COOKIE, sessionCookieValue(session), {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.options.secureCookie,
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    return session;
  }

  /** The session of a valid session cookie that has neither expired nor ended, or null. */
  read(request: FastifyRequest): Session | null {
    const raw = request.cookies[SESSION_COOKIE];
    if (!raw) return null;
    const { valid, value } = request.unsignCookie(raw);
    if (!valid || !value) return null;
    const [customerId, expiresAt, id] = value.split('|');
    if (!customerId || !id) return null;
    const session = { id, customerId, expiresAt: Number(expiresAt) };
    return this.isActive(session) ? session : null;
  }

  isActive(session: Session): boolean {
    return session.expiresAt > this.clock() && !this.ended.has(session.id);
  }

  /** Ends the request's session, if it has one, and clears its cookie. Returns the session ended. */
  end(request: FastifyRequest, reply: FastifyReply): Session | null {
    const session = this.read(request);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    if (session) this.markEnded(session);
    return session;
  }

  /** Remembers a session as ended (here, or on another web instance) until it would have expired. */
  markEnded(session: Session): void {
    // Forget what has expired anyway, and past the bound the oldest.
    const now = this.clock();
    for (const [id, expiresAt] of this.ended) {
      if (expiresAt > now && this.ended.size < this.maxEnded) break;
      this.ended.delete(id);
    }
    if (session.expiresAt > now) this.ended.set(session.id, session.expiresAt);
  }
}
