import { openTestNamespace } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import { logIn, startWeb } from '../testing';

describe('logging in', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    ns = await openTestNamespace('web-auth');
    app = await startWeb({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace });
  });

  afterAll(async () => {
    await app?.close();
    await ns?.cleanup();
  });

  const login = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/login', payload: payload as string, headers });

  it('accepts a demo customer and sets an HttpOnly, SameSite session cookie', async () => {
    const res = await login({ email: 'anna@example.com', password: 'rent-a-car' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      customer: { id: 'c-0001', name: 'Anna de Vries', email: 'anna@example.com', city: 'Amsterdam', loyaltyTier: 'gold' },
    });
    const cookie = res.cookies.find((c) => c.name === 'ad_race_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  });

  it('ignores the case of the e-mail address', async () => {
    expect((await login({ email: 'Anna@Example.com', password: 'rent-a-car' })).statusCode).toBe(200);
  });

  it.each([
    ['a wrong password', { email: 'anna@example.com', password: 'rent-a-bike' }],
    ['an unknown customer', { email: 'nobody@example.com', password: 'rent-a-car' }],
  ])('answers 401 to %s, without saying which part was wrong', async (_, body) => {
    const res = await login(body);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'wrong e-mail address or password' });
    expect(res.cookies).toEqual([]);
  });

  it.each([
    ['a missing password', { email: 'anna@example.com' }, /password/],
    ['an e-mail address that is not one', { email: 'anna', password: 'x' }, /email/],
    ['an empty password', { email: 'anna@example.com', password: '' }, /password/],
    ['a password that is not a string', { email: 'anna@example.com', password: 42 }, /password/],
    ['a field the login does not take', { email: 'anna@example.com', password: 'rent-a-car', admin: true }, /additional properties/],
  ])('answers 400 to %s, saying what is wrong', async (_, body, reason) => {
    const res = await login(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(reason);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await login('{"email": ', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/JSON/);
  });

  it('knows who is logged in, and forgets after logout', async () => {
    const cookie = await logIn(app, 'ben@example.com');
    const session = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(session.json()).toMatchObject({ customer: { email: 'ben@example.com', city: 'Berlin' } });

    const logout = await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(204);
    const cleared = logout.cookies.find((c) => c.name === 'ad_race_session');
    expect(cleared?.value).toBe('');
    // The session has ended, not just its cookie: a copy kept from before the logout no longer works.
    const withOldCookie = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(withOldCookie.statusCode).toBe(401);
  });

  it('ends only the session that logs out', async () => {
    const phone = await logIn(app, 'ben@example.com');
    const laptop = await logIn(app, 'ben@example.com');
    await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: phone } });
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: phone } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: laptop } })).statusCode).toBe(200);
  });

  it('rejects a session cookie that was tampered with', async () => {
    const cookie = await logIn(app);
    const forged = cookie.replace('c-0001', 'c-0002');
    expect(forged).not.toBe(cookie);
    const res = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: forged } });
    expect(res.statusCode).toBe(401);
  });

  it('opens the ad socket only with a session', async () => {
    await expect(app.injectWS('/api/ws')).rejects.toThrow(/401/);
    const res = await app.inject({ method: 'GET', url: '/api/ws', headers: { connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'log in first: the ad socket needs a session' });
  });
});
