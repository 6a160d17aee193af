import { adNeedV1, adSolutionV1 } from '@ad-race/contracts';
import { listenTo } from '@ad-race/service-testing';
import { eventually, metricValue, sleep } from '@ad-race/testing';
import { logIn, openAdSocket, type AdSocket } from '@ad-race/web/testing';
import type { FastifyInstance } from 'fastify';
import { stackUnderTest } from './stack-under-test';

describe('the stack on a real broker: web, ads-v1 and ads-v2, all on version 1 of the messages', () => {
  const stack = stackUnderTest('stack');
  const web = (extra?: Record<string, string>) => stack.start('web', extra);
  const ads = (service: 'ads-v1' | 'ads-v2', extra?: Record<string, string>) => stack.start(service, extra);
  const customer = (app: FastifyInstance, email?: string) => stack.customer(app, email);

  it('races v1 and v2 for every page: one wins, both are timed', async () => {
    const app = await web();
    await ads('ads-v1');
    await ads('ads-v2');
    const anna = await customer(app);
    for (const page of ['home', 'deals', 'my-trips']) {
      const ad = await anna.view(page);
      expect(['v1', 'v2']).toContain(ad.servedBy.version);
      expect(ad.ad.offer.city).toBe('Amsterdam');
      const race = await anna.raceOf(ad.needId, 2);
      expect(race.replies.map((r) => r.version).sort()).toEqual(['v1', 'v2']);
      // The replies come in order of arrival: the first one won, and its ad is the one shown.
      const [first, second] = race.replies;
      expect([first!.version, first!.won, second!.won]).toEqual([ad.servedBy.version, true, false]);
      expect(first!.latencyMs).toBeLessThanOrEqual(second!.latencyMs);
    }
  });

  it('never shows the answers of a version run in shadow', async () => {
    const app = await web();
    await ads('ads-v1');
    await ads('ads-v2', { SHADOW: 'true' });
    const anna = await customer(app);
    for (let i = 0; i < 10; i++) {
      const ad = await anna.view('home');
      expect(ad.servedBy.version).toBe('v1');
      const race = await anna.raceOf(ad.needId, 2);
      expect(race.replies.find((r) => r.version === 'v2')).toMatchObject({ shadow: true, won: false });
    }
    const metrics = await stack.metrics(app);
    expect(metricValue(metrics, 'ad_race_wins_total', { version: 'v2' })).toBe(0);
    expect(metricValue(metrics, 'ad_race_shadow_replies_total', { version: 'v2' })).toBeGreaterThanOrEqual(10);
  });

  it('keeps serving from v1 when ads-v2 is stopped', async () => {
    const app = await web();
    await ads('ads-v1');
    const v2 = await ads('ads-v2');
    const anna = await customer(app);
    await anna.raceOf((await anna.view('home')).needId, 2);

    await stack.stop(v2);
    for (let i = 0; i < 5; i++) {
      const ad = await anna.view('deals');
      expect(ad.servedBy.version).toBe('v1');
    }
    const metrics = await stack.metrics(app);
    expect(metricValue(metrics, 'ad_race_fallbacks_total', { version: 'fallback' })).toBe(0);
  });

  it('has two replicas of ads-v1 answer each need once between them', async () => {
    const app = await web();
    await ads('ads-v1', { INSTANCE_ID: 'ads-v1-a' });
    await ads('ads-v1', { INSTANCE_ID: 'ads-v1-b' });
    const solutions = await listenTo(stack.ns.url, stack.ns.namespace, adSolutionV1);
    try {
      const anna = await customer(app);
      const needIds: string[] = [];
      for (let i = 0; i < 30; i++) needIds.push((await anna.view('home')).needId);
      await sleep(200);
      const answers = solutions.heard.items.map((h) => h.message).filter((s) => needIds.includes(s.causationId));
      expect(answers.map((s) => s.causationId).sort()).toEqual([...needIds].sort());
      const byInstance = new Set(answers.map((s) => s.producer.instance));
      expect(byInstance).toEqual(new Set(['ads-v1-a', 'ads-v1-b']));
    } finally {
      await solutions.bus.close();
    }
  });

  it('has each of two web instances deliver only its own customers’ ads', async () => {
    const webA = await web({ INSTANCE_ID: 'web-a' });
    const webB = await web({ INSTANCE_ID: 'web-b' });
    await ads('ads-v1');
    await ads('ads-v2');
    const anna = await customer(webA, 'anna@example.com');
    const ben = await customer(webB, 'ben@example.com');
    const annaNeeds = new Set<string>();
    const benNeeds = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const [a, b] = await Promise.all([anna.view('home'), ben.view('deals')]);
      annaNeeds.add(a.needId);
      benNeeds.add(b.needId);
      expect(a.ad.offer.city).toBe('Amsterdam');
      expect(b.ad.offer.city).toBe('Berlin');
    }
    await sleep(100);
    const seen = (socket: AdSocket) => new Set(socket.messages.items.flatMap((m) => ('needId' in m ? [m.needId] : [])));
    expect([...seen(anna)].filter((id) => benNeeds.has(id))).toEqual([]);
    expect([...seen(ben)].filter((id) => annaNeeds.has(id))).toEqual([]);
    for (const app of [webA, webB]) {
      const metrics = await stack.metrics(app);
      expect(metricValue(metrics, 'ad_race_fallbacks_total', { version: 'fallback' })).toBe(0);
    }
  });

  it('ends a session on every web instance when the customer logs out on one: a copied cookie stops working, its sockets close', async () => {
    const webA = await web({ INSTANCE_ID: 'web-a' });
    const webB = await web({ INSTANCE_ID: 'web-b' });
    const cookie = await logIn(webA);
    const session = async (app: FastifyInstance) => (await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode;
    expect([await session(webA), await session(webB)]).toEqual([200, 200]); // the instances share the secret
    const onB = await openAdSocket(webB, cookie);
    const closed = new Promise<number>((resolve) => onB.ws.once('close', (code) => resolve(code)));

    expect((await webA.inject({ method: 'POST', url: '/api/logout', headers: { cookie } })).statusCode).toBe(204);
    expect(await closed).toBe(1008);
    await eventually(async () => (await session(webB)) === 401, 5_000, 'web-b to forget the session');
    expect(await session(webA)).toBe(401);
  });

  it('dead-letters malformed messages while the good ones flow', async () => {
    const app = await web();
    await ads('ads-v1');
    await ads('ads-v2');
    const anna = await customer(app);
    const needs = await listenTo(stack.ns.url, stack.ns.namespace, adNeedV1);
    try {
      for (let i = 0; i < 5; i++) {
        stack.ns.probe.publishRaw(adNeedV1, `garbage ${i}`, { messageId: `bad-need-${i}` });
        const ad = await anna.view('home');
        expect(ad.servedBy.version).not.toBe('fallback');
        // A malformed answer to a need this web instance is waiting for: parsed, rejected, dead-lettered.
        stack.ns.probe.publishRaw(adSolutionV1, JSON.stringify({ name: 'ad.solution', schemaVersion: 1 }), { messageId: `bad-solution-${i}`, correlationId: ad.needId });
      }
      const letters = await stack.ns.probe.takeDeadLetters(5 * 3 + 5); // each bad need from v1, v2 and this test’s listener; each bad solution
      const from = (queue: string) => letters.filter((l) => l.queue === queue).map((l) => l.messageId).sort();
      const badNeeds = [0, 1, 2, 3, 4].map((i) => `bad-need-${i}`);
      expect(from(`${stack.ns.namespace}.ad.need.v1.ads-v1`)).toEqual(badNeeds);
      expect(from(`${stack.ns.namespace}.ad.need.v1.ads-v2`)).toEqual(badNeeds);
      const badSolutions = letters.filter((l) => l.messageId?.startsWith('bad-solution'));
      expect(badSolutions.map((l) => l.queue)).toEqual(Array(5).fill(expect.stringMatching(`^${stack.ns.namespace}\\.ad\\.solution\\.v1\\.`)));
      expect(badSolutions.map((l) => l.reason)).toEqual(Array(5).fill(expect.stringMatching(/^invalid "ad\.solution" v1: \//)));
      expect(new Set(letters.filter((l) => l.messageId?.startsWith('bad-need')).map((l) => l.reason))).toEqual(new Set(['message body is not JSON']));
    } finally {
      await needs.bus.close();
    }
  });
});
