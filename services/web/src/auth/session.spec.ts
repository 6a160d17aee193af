import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { Sessions } from './session';

// The session rules on a bare Fastify with the cookie plugin: no broker, a clock of our own.
describe('sessions', () => {
  let now: number;
  let app: FastifyInstance;

  async function build(maxEnded?: number): Promise<FastifyInstance> {
    const sessions = new Sessions({ secureCookie: false, maxEnded }, () => now);
    const server = Fastify();
    await server.register(fastifyCookie, { secret: 'a test secret that is long enough!' });
    server.post('/start/:customer', async (request, reply) => sessions.start(reply, (request.params as { customer: string }).customer));
    server.post('/end', async (request, reply) => sessions.end(request, reply) ?? {});
    server.get('/who', async (request) => sessions.read(request) ?? {});
    return server;
  }

  const start = async (customer: string) => {
    const res = await app.inject({ method: 'POST', url: `/start/${customer}` });
    const cookie = res.cookies.find((c) => c.name === 'ad_race_session')!;
    return `${cookie.name}=${cookie.value}`;
  };
  const who = async (cookie: string) => (await app.inject({ method: 'GET', url: '/who', headers: { cookie } })).json<{ customerId?: string }>().customerId;
  const end = (cookie: string) => app.inject({ method: 'POST', url: '/end', headers: { cookie } });

  beforeEach(() => {
    now = Date.UTC(2026, 10, 26, 9);
  });
  afterEach(() => app?.close());

  it('reads a session until it expires, 8 hours after it started', async () => {
    app = await build();
    const cookie = await start('c-0001');
    expect(await who(cookie)).toBe('c-0001');
    now += 8 * 3600_000 - 1;
    expect(await who(cookie)).toBe('c-0001');
    now += 1;
    expect(await who(cookie)).toBeUndefined();
  });

  it('ends a session for good, also for a copy of its cookie', async () => {
    app = await build();
    const cookie = await start('c-0001');
    expect((await end(cookie)).cookies.find((c) => c.name === 'ad_race_session')?.value).toBe('');
    expect(await who(cookie)).toBeUndefined();
  });

  it('remembers a bounded number of ended sessions', async () => {
    app = await build(2);
    const [first, second, third] = [await start('c-0001'), await start('c-0002'), await start('c-0003')];
    await end(first);
    await end(second);
    await end(third); // past the bound, the session that ended first is forgotten: its cookie works again
    expect([await who(first), await who(second), await who(third)]).toEqual(['c-0001', undefined, undefined]);
  });
});
