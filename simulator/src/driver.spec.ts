import type { AdMessage, BrowserMessage, Offer } from '@ad-race/contracts';
import { OFFERS, type CustomerProfile } from '@ad-race/catalog';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { Crowd, logIn, MIN_GAP_MS, simulate, steadyViews } from './driver';
import { clickProbability } from './ground-truth';
import { PAGES, planRun, simulatedCustomers } from './plan';
import type { Progress } from './summary';

/** Starts a stand-in web server on a free port; its url. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Drops the sockets still open, then closes the socket server and the web server. */
async function closeAll(wss: WebSocketServer, server: Server): Promise<void> {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** An ad of version 1 with this offer, for a page view (or the login). */
const adOf = (page: string, offer: Offer): AdMessage => ({
  type: 'ad',
  needId: randomUUID(),
  page,
  ad: { headline: 'A car', reason: 'why not', offer },
  servedBy: { service: 'ads-v1', version: 'v1', instance: 'ads-v1-test' },
  latencyMs: 3,
});

/** The web server's answer to a customer's login. */
const sessionOf = (profile: CustomerProfile) => ({ customer: { id: profile.id, name: profile.name, email: profile.email, city: profile.homeCity, loyaltyTier: profile.loyaltyTier } });

// The login against a stand-in web server that answers as the real one does
// (POST /api/login: 429 with Retry-After when the address logged in too often).
describe('logging a customer in', () => {
  let server: Server;
  let url: string;
  let answers: { status: number; headers?: Record<string, string>; body: unknown }[];
  const attempts: number[] = [];

  beforeEach(async () => {
    attempts.length = 0;
    server = createServer((request, response) => {
      attempts.push(Date.now());
      const answer = answers.shift()!;
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
    url = await listen(server);
  });

  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const session = { customer: { id: 'c-0001', name: 'Anna de Vries', email: 'anna@example.com', city: 'Amsterdam', loyaltyTier: 'gold' } };

  it('waits as long as a 429’s Retry-After says, then keeps the session cookie', async () => {
    answers = [
      { status: 429, headers: { 'retry-after': '1' }, body: { error: 'too many login attempts from this address: try again in 1 second' } },
      { status: 200, headers: { 'set-cookie': 'session=abc.def; Path=/; HttpOnly; SameSite=Strict' }, body: session },
    ];
    const warnings: string[] = [];
    const cookie = await logIn(url, 'anna@example.com', (w) => warnings.push(w));
    expect(cookie).toBe('session=abc.def');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(950);
    expect(warnings).toEqual(['the web server asked logins to wait (429): waited as its Retry-After said']);
  });

  it('says why a login failed, and does not retry a wrong password', async () => {
    answers = [{ status: 401, body: { error: 'wrong e-mail address or password' } }];
    await expect(logIn(url, 'anna@example.com', () => undefined)).rejects.toThrow('could not log anna@example.com in: 401 {"error":"wrong e-mail address or password"}');
    expect(attempts).toHaveLength(1);
  });

  it('refuses an answer that breaks the contract', async () => {
    answers = [{ status: 200, headers: { 'set-cookie': 'session=x' }, body: { customer: { id: 'c-0001' } } }];
    await expect(logIn(url, 'anna@example.com', () => undefined)).rejects.toThrow('could not log anna@example.com in: 200');
  });

  it('says when no web server answers at the address', async () => {
    const closed = url;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = createServer();
    await expect(logIn(closed, 'anna@example.com', () => undefined)).rejects.toThrow(/could not reach the web server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): is the stack running/);
  });
});

// A whole run against a stand-in web server that answers every page view with
// an ad of version 1 (an offer Anna likes: she clicks some), and drops the first
// socket at its first page view. As the real one does, it keeps the ads of a
// customer without a socket (the login's, that one) for their next socket.
describe('a run', () => {
  let server: Server;
  let wss: WebSocketServer;
  let url: string;
  const sockets: { cookie: string | undefined }[] = [];
  const pageViews: string[] = [];
  const clicks: string[] = [];
  const sent = new Set<string>();

  beforeAll(async () => {
    const anna = simulatedCustomers(1, 1)[0]!;
    const offer = OFFERS.filter((o) => o.city === anna.profile.homeCity).sort((a, b) => clickProbability(anna, b) - clickProbability(anna, a))[0]!;
    const { profile } = anna;
    server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'session=anna; Path=/; HttpOnly' });
      response.end(JSON.stringify(sessionOf(profile)));
      mailbox.push(ad('login'));
    });
    const mailbox: AdMessage[] = [];
    const ad = (page: string): AdMessage => {
      const message = adOf(page, offer);
      sent.add(message.needId);
      return message;
    };
    wss = new WebSocketServer({ server });
    wss.on('connection', (socket, request) => {
      sockets.push({ cookie: request.headers.cookie });
      const first = sockets.length === 1;
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as BrowserMessage;
        if (frame.type === 'click') return void clicks.push(frame.needId);
        pageViews.push(frame.page);
        if (!first) return socket.send(JSON.stringify(ad(frame.page)));
        mailbox.push(ad(frame.page));
        socket.close(1008, 'too many page views');
      });
      for (const message of mailbox.splice(0)) socket.send(JSON.stringify(message));
    });
    url = await listen(server);
  });

  afterAll(() => closeAll(wss, server));

  it('sends every page view of the plan with the session cookie, opens a lost socket again, and counts every ad and click', async () => {
    const options = { url, customers: 1, days: 3, speed: 3 * 86_400, seed: 1 }; // three days in a second
    const planned = planRun(options).views;
    expect(planned.length).toBeGreaterThan(2);
    const progress: Progress[] = [];
    const summary = await simulate({ ...options, quiet: true, onProgress: (p) => progress.push(p) });

    expect(pageViews).toEqual(planned.map((v) => v.page));
    expect(sockets).toEqual([{ cookie: 'session=anna' }, { cookie: 'session=anna' }]);
    expect(summary).toMatchObject({ logins: 1, pageViews: planned.length, ads: planned.length + 1, unanswered: 0, problems: 1, houseAds: { fallback: 0, shed: 0 } });
    // Clicks go back for ads that were shown, once each, and are counted as sent.
    expect(clicks.every((id) => sent.has(id))).toBe(true);
    expect(new Set(clicks).size).toBe(clicks.length);
    expect(clicks.length).toBeGreaterThan(0);
    expect(summary.clicks).toBe(clicks.length);
    expect(summary.byVersion['v1']).toEqual({ ads: planned.length + 1, clicks: clicks.length, clickThrough: clicks.length / (planned.length + 1) });
    expect(progress[0]!.phase).toBe('logging in');
    expect(progress.at(-1)!.phase).toBe('done');
  });
});

// Steady traffic, as a crowd browses: planned from the seed, before any is sent.
describe('steady traffic', () => {
  const gapsOf = (views: ReturnType<typeof steadyViews>, customer: number) => {
    const times = views.filter((v) => v.customer === customer).map((v) => v.atMs);
    return times.slice(1).map((t, i) => t - times[i]!);
  };

  it('spreads the page views a second over the customers in turn, within the duration', () => {
    const views = steadyViews(4, 2000, 10, 1);
    expect(views).toHaveLength(20);
    expect(views.map((v) => v.customer)).toEqual(Array.from({ length: 20 }, (_, i) => i % 4));
    expect(views.map((v) => v.atMs)).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
    expect(views.every((v) => PAGES.includes(v.page) && v.clickDraw >= 0 && v.clickDraw < 1)).toBe(true);
    expect(new Set(views.map((v) => v.page)).size).toBe(PAGES.length);
  });

  it('sends no customer’s page views faster than the web server allows, whatever is asked', () => {
    const views = steadyViews(3, 1000, 1000, 1);
    expect(views).toHaveLength(24); // 3 customers × 1000 / MIN_GAP_MS
    for (const customer of [0, 1, 2]) expect(Math.min(...gapsOf(views, customer))).toBeGreaterThanOrEqual(MIN_GAP_MS);
    expect(views.every((v) => v.atMs < 1000)).toBe(true);
    expect(steadyViews(1, 1000, 1000, 1).map((v) => v.atMs)).toEqual([0, 125, 250, 375, 500, 625, 750, 875]);
  });

  it('gives the same traffic for the same seed, and other choices to the next browse and another seed', () => {
    const draws = (views: ReturnType<typeof steadyViews>) => views.map((v) => v.clickDraw);
    expect(steadyViews(5, 3000, 20, 7)).toEqual(steadyViews(5, 3000, 20, 7));
    expect(draws(steadyViews(5, 3000, 20, 7, 1))).not.toEqual(draws(steadyViews(5, 3000, 20, 7)));
    expect(draws(steadyViews(5, 3000, 20, 8))).not.toEqual(draws(steadyViews(5, 3000, 20, 7)));
    // A customer's choices are its own: another rate changes when they come, not what they are.
    const anna = (views: ReturnType<typeof steadyViews>) => views.filter((v) => v.customer === 0).map(({ page, clickDraw }) => ({ page, clickDraw }));
    expect(anna(steadyViews(5, 3000, 40, 7)).slice(0, 12)).toEqual(anna(steadyViews(5, 3000, 20, 7)));
  });

  it('sends nothing in no time, and refuses a rate or duration that makes no sense', () => {
    expect(steadyViews(2, 0, 10, 1)).toEqual([]);
    expect(() => steadyViews(2, 1000, 0, 1)).toThrow(RangeError);
    expect(() => steadyViews(2, Infinity, 10, 1)).toThrow(RangeError);
    expect(() => steadyViews(2, Number.NaN, 10, 1)).toThrow(RangeError);
    expect(() => steadyViews(0, 1000, 10, 1)).toThrow(RangeError);
  });
});

// A crowd against a stand-in web server that logs anyone in (counting the
// logins) and answers every page view with an ad of version 1.
describe('a crowd', () => {
  let server: Server;
  let wss: WebSocketServer;
  let url: string;
  let logins = 0;
  const pageViews: { cookie: string; at: number }[] = [];

  beforeAll(async () => {
    const customers = simulatedCustomers(3, 1);
    const ad = (page: string) => adOf(page, OFFERS[0]!);
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { email } = JSON.parse(body) as { email: string };
        const { profile } = customers.find((c) => c.profile.email === email)!;
        logins++;
        response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `session=${profile.id}; Path=/; HttpOnly` });
        response.end(JSON.stringify(sessionOf(profile)));
      });
    });
    wss = new WebSocketServer({ server });
    wss.on('connection', (socket, request) => {
      const cookie = request.headers.cookie ?? '';
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as BrowserMessage;
        if (frame.type !== 'page') return;
        pageViews.push({ cookie, at: Date.now() });
        socket.send(JSON.stringify(ad(frame.page)));
      });
      socket.send(JSON.stringify(ad('login')));
    });
    url = await listen(server);
  });

  afterAll(() => closeAll(wss, server));

  it('browses again and again on its first logins, counting each stretch afresh', async () => {
    const seen: number[] = [];
    const crowd = await Crowd.arrive({ url, customers: 3, seed: 1, watch: (counts) => seen.push(counts().logins) });
    try {
      expect(seen).toEqual([0]); // given before the first login
      expect(crowd.customers.map((c) => c.profile.email)).toEqual(simulatedCustomers(3, 1).map((c) => c.profile.email));
      expect(await crowd.settle(2000)).toBe(0);
      expect(crowd.recount()).toMatchObject({ logins: 3, pageViews: 0, ads: 3, problems: 0 });

      let views = 0;
      await crowd.browse({ durationMs: 600, perSecond: 20, onView: () => views++ });
      expect(views).toBe(steadyViews(3, 600, 20, 1).length);
      expect(await crowd.settle(2000)).toBe(0);
      expect(crowd.counts()).toMatchObject({ logins: 0, pageViews: views, ads: views, byVersion: { v1: { ads: views } } });
      expect(crowd.recount()).toMatchObject({ pageViews: views });

      // A second browse, stopped early; one at a time.
      const stop = new AbortController();
      let more = 0;
      const browsing = crowd.browse({ durationMs: 60_000, perSecond: 100, signal: stop.signal, onView: () => ++more === 5 && stop.abort() });
      await expect(crowd.browse({ durationMs: 100, perSecond: 1 })).rejects.toThrow('one browse at a time');
      await browsing;
      expect(more).toBe(5);
      await crowd.settle(2000);
      expect(crowd.recount()).toMatchObject({ logins: 0, pageViews: 5, ads: 5, problems: 0 });
      expect(logins).toBe(3);

      // No customer sent faster than the web server allows, across the browses.
      for (const cookie of new Set(pageViews.map((v) => v.cookie))) {
        const times = pageViews.filter((v) => v.cookie === cookie).map((v) => v.at);
        // Timers may fire a millisecond early.
        times.slice(1).forEach((t, i) => expect(t - times[i]!).toBeGreaterThanOrEqual(MIN_GAP_MS - 2));
      }
    } finally {
      crowd.close();
    }
  });
});
