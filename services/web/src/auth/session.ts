import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'ad_race_session';
const SESSION_HOURS = 8;

/**
 * Sessions live in a signed cookie (HMAC by @fastify/cookie with SESSION_SECRET)
 * holding the customer id and an expiry, so any web instance sharing the secret
 * can read them and none has to remember them. Logging out clears the cookie.
 */
export function startSession(reply: FastifyReply, customerId: string, secure: boolean, now = Date.now()): void {
  const expiresAt = now + SESSION_HOURS * 3600_000;
  reply.setCookie(SESSION_COOKIE, `${customerId}|${expiresAt}`, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
}

export function endSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export interface Session {
  customerId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The session of a valid, unexpired session cookie, or null. */
export function readSession(request: FastifyRequest, now = Date.now()): Session | null {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return null;
  const { valid, value } = request.unsignCookie(raw);
  if (!valid || !value) return null;
  const [customerId, expiresAt] = value.split('|');
  if (!customerId || !(Number(expiresAt) > now)) return null;
  return { customerId, expiresAt: Number(expiresAt) };
}
