import { CUSTOMERS } from '@ad-race/catalog';
import { readConfig } from '@ad-race/service-runtime';
import { openTestNamespace, sleep } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp, WebConfig } from '../app';
import { startWeb } from '../testing';
import { Accounts } from './accounts';
import { LoginThrottle } from './login-throttle';
import { PasswordChecks, TooManyPasswordChecks } from './password-checks';

describe('the login throttle, for one account', () => {
  it('lets a few logins fail, then makes the account wait, twice as long after each failure, up to a bound', () => {
    const t = new LoginThrottle({ freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 8000 });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      t.failed('anna@example.com', 0);
      waits.push(t.waitMs('anna@example.com', 0));
    }
    expect(waits).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(t.waitMs('ben@example.com', 0)).toBe(0); // another account is not held up
    expect(t.waitMs('anna@example.com', 8000)).toBe(0); // never locked out: once the wait is over, she may try
  });

  it('starts afresh after a login that succeeds, or a long quiet spell', () => {
    const t = new LoginThrottle({ freeFailures: 2, forgetAfterMs: 60_000 });
    t.failed('anna@example.com', 0);
    t.failed('anna@example.com', 0);
    expect(t.waitMs('anna@example.com', 0)).toBeGreaterThan(0);
    t.succeeded('anna@example.com');
    expect(t.waitMs('anna@example.com', 0)).toBe(0);
    t.failed('anna@example.com', 0);
    t.failed('anna@example.com', 61_000); // a quiet spell before it: the count starts again
    expect(t.waitMs('anna@example.com', 61_000)).toBe(0);
  });

  it('remembers a bounded number of accounts, however many addresses are tried', () => {
    const t = new LoginThrottle({ freeFailures: 0, maxAccounts: 100 });
    for (let i = 0; i < 10_000; i++) t.failed(`guess-${i}@example.com`, 0);
    expect(t.waitMs('guess-0@example.com', 0)).toBe(0); // forgotten, the longest quiet
    expect(t.waitMs('guess-9999@example.com', 0)).toBeGreaterThan(0);
  });
});

describe('the password checks', () => {
  it('runs at most so many at once, lets so many more wait, and refuses the rest at once', async () => {
    const checks = new PasswordChecks(2, 3);
    let running = 0;
    let most = 0;
    const check = async () => {
      most = Math.max(most, ++running);
      await sleep(20);
      running--;
      return true;
    };
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => checks.run(check)));
    expect(most).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual(Array(3).fill(expect.any(TooManyPasswordChecks)));
    expect(checks.busy).toBe(0);
  });
});

describe('logging in, under a flood', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let app: FastifyInstance;
  const login = (email: string, password = 'rent-a-car') => app.inject({ method: 'POST', url: '/api/login', payload: { email, password } });

  beforeEach(async () => {
    ns = await openTestNamespace('web-logins');
  });

  afterEach(async () => {
    await app?.close();
    await ns.cleanup();
  });

  it('limits the logins of one client address a minute: 429, and when to come back', async () => {
    app = await startWeb({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, LOGINS_PER_MINUTE: '3' });
    const codes = [];
    for (const name of ['anna', 'ben', 'chloe', 'diego']) codes.push((await login(`${name}@example.com`)).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const refused = await login('anna@example.com');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().error).toMatch(/^too many login attempts from this address: try again in /);
  });

  it('slows down guessing one account’s password, right password or not, and leaves the others alone', async () => {
    app = await startWeb({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace });
    for (let i = 0; i < 5; i++) expect((await login('anna@example.com', `guess-${i}`)).statusCode).toBe(401);
    const held = await login('anna@example.com');
    expect(held.statusCode).toBe(429);
    expect(held.headers['retry-after']).toBe('1');
    expect(held.json().error).toBe('too many failed logins for this account: try again in 1 s');
    expect((await login('ben@example.com')).statusCode).toBe(200);
  });

  it('never checks more passwords at once than it is set to, and refuses at once what would wait too long', async () => {
    // Accounts whose every check takes 50 ms, and that count how many run at once.
    let running = 0;
    let most = 0;
    const accounts = new Accounts();
    accounts.logIn = async () => {
      most = Math.max(most, ++running);
      await sleep(50);
      running--;
      return CUSTOMERS[0]!;
    };
    const config = readConfig(WebConfig, { AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, SESSION_SECRET: 'x'.repeat(32), LOGINS_PER_MINUTE: '1000', PASSWORD_CHECKS_AT_ONCE: '2' });
    app = await buildApp({ config, accounts, logger: pino({ level: 'silent' }) });
    await app.ready();
    const codes = (await Promise.all(Array.from({ length: 50 }, () => login('anna@example.com')))).map((r) => r.statusCode);
    expect(most).toBe(2);
    expect(codes.filter((c) => c === 200)).toHaveLength(2 + 32); // two at once, and sixteen times that waiting
    expect(codes.filter((c) => c === 503)).toHaveLength(50 - 34);
  });
});
