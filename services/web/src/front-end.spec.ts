import { openTestNamespace } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import { startWeb } from './testing';

describe('the front end', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let app: FastifyInstance | undefined;

  beforeEach(async () => {
    ns = await openTestNamespace('web-front-end');
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await ns.cleanup();
  });

  it.each([
    ['where DASHBOARD_URL says', { DASHBOARD_URL: 'http://127.0.0.1:4005/' }, 'http://127.0.0.1:4005/'],
    ['by default, to the monitor on this machine', {}, 'http://localhost:3005/'],
  ])('sends GET /dashboard on to the monitor’s dashboard, %s', async (_, env, location) => {
    app = await startWeb({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, ...env });
    const res = await app.inject({ method: 'GET', url: '/dashboard' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(location);
  });
});
