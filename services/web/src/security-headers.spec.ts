import { openTestNamespace } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import { startWeb } from './testing';

describe('security headers', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let app: FastifyInstance;

  beforeEach(async () => {
    ns = await openTestNamespace('web-headers');
  });

  afterEach(async () => {
    await app?.close();
    await ns.cleanup();
  });

  it('sends a strict Content-Security-Policy, and no HSTS over plain HTTP', async () => {
    app = await startWeb({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace });
    const res = await app.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp.split(';').map((d) => d.trim())).toEqual(
      expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]),
    );
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|upgrade-insecure-requests/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('adds Strict-Transport-Security when the site is served over HTTPS (COOKIE_SECURE)', async () => {
    app = await startWeb({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, COOKIE_SECURE: 'true' });
    const res = await app.inject({ method: 'GET', url: '/api/session' });
    expect(res.headers['strict-transport-security']).toBe('max-age=15552000; includeSubDomains');
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });
});
