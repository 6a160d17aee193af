import { CUSTOMERS } from '@ad-race/catalog';
import {
  adClickedV1,
  adNeedV1,
  adServedV1,
  adSolutionV1,
  adSolutionV2,
  createAdClickedV1,
  createAdNeedV1,
  createAdServedV1,
  createAdSolutionV1,
  createAdSolutionV2,
  createServiceHeartbeatV1,
  MESSAGES,
  serviceHeartbeatV1,
  type AdNeedV1,
} from '@ad-race/contracts';
import { readConfig } from '@ad-race/service-runtime';
import { listenTo, SAMPLE_AD, waitUntilReady, type Listener } from '@ad-race/service-testing';
import { eventually, metricValue, openTestNamespace } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DashboardSnapshot } from '@ad-race/contracts';
import { Value } from '@sinclair/typebox/value';
import { buildApp, MonitorConfig } from './app';

const web = { service: 'web', version: '1.0.0', instance: 'web-test' };
const v1 = { service: 'ads', version: 'v1', instance: 'ads-v1-test' };
const v2 = { service: 'ads', version: 'v2', instance: 'ads-v2-test' };
const v3 = { service: 'ads', version: 'v3', instance: 'ads-v3-test' };
const adapter = { service: 'schema-adapter', version: '1.0.0', instance: 'adapter-test' };
const anna = CUSTOMERS.find((c) => c.email === 'anna@example.com')!;
const needFor = (page = 'login') => createAdNeedV1(web, { customerId: anna.id, city: anna.homeCity, loyaltyTier: anna.loyaltyTier, page }, 250);

interface Comparison {
  needs: number;
  houseAds: number;
  a: { answers: number; invalid: number; wins: number; clicks: number; shadow: boolean; meanFitness: number | null; wouldHaveWon: number };
  b: { answers: number; invalid: number; wins: number; clicks: number; shadow: boolean; meanFitness: number | null; wouldHaveWon: number };
  verdict: string;
}

describe('the monitor on the bus', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let dataDir: string;
  let apps: FastifyInstance[] = [];
  let bus: Listener<AdNeedV1>['bus'];

  async function start(env: Record<string, string> = {}) {
    const config = readConfig(MonitorConfig, { AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, INSTANCE_ID: `monitor-${apps.length}`, DATA_DIR: dataDir, BATCH_DELAY_MS: '5', ...env });
    const app = await buildApp({ config, logger: pino({ level: 'silent' }) });
    apps.push(app);
    await app.ready();
    await waitUntilReady(app);
    return app;
  }

  async function compare(app: FastifyInstance, a: string, b: string): Promise<Comparison> {
    const res = await app.inject({ method: 'GET', url: `/api/comparison?a=${a}&b=${b}` });
    expect(res.statusCode).toBe(200);
    return res.json<Comparison>();
  }

  /** The answers of one need as the race makes them: v1 first-hand; v2 in version 2 and its translation; v3 in shadow. */
  async function raceOnce(need: AdNeedV1, winner: 'v1' | 'v2' | null) {
    await bus.publish(adNeedV1, need);
    const a1 = createAdSolutionV1(need, v1, false, SAMPLE_AD);
    const a2 = createAdSolutionV2({ id: need.id, conversationId: need.id }, v2, false, { offers: [{ ad: SAMPLE_AD, score: 0.8 }], confidence: 0.9 });
    const translated = { ...createAdSolutionV1({ id: a2.id }, adapter, false, SAMPLE_AD), producer: v2 };
    const a3 = createAdSolutionV2({ id: need.id, conversationId: need.id }, v3, true, { offers: [{ ad: SAMPLE_AD, score: 0.9 }], confidence: 1 });
    await bus.publish(adSolutionV1, a1);
    await bus.publish(adSolutionV2, a2);
    await bus.publish(adSolutionV1, translated, { conversationId: need.id, translatedFrom: adSolutionV2 });
    await bus.publish(adSolutionV2, a3);
    const served = winner === null ? null : winner === 'v1' ? a1 : translated;
    const event = createAdServedV1(need.id, served?.id ?? null, web, {
      customerId: anna.id,
      page: need.payload.page,
      need: { createdAt: need.createdAt, city: need.payload.city, loyaltyTier: need.payload.loyaltyTier },
      servedBy: served ? { version: served.producer.version, instance: served.producer.instance } : null,
      offerId: served ? SAMPLE_AD.offer.id : null,
      latencyMs: 3,
    });
    await bus.publish(adServedV1, event);
    return event;
  }

  beforeEach(async () => {
    ns = await openTestNamespace('monitor');
    for (const contract of MESSAGES) if (contract !== serviceHeartbeatV1) ns.willUseSharedQueue(contract, 'monitor');
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-'));
    ({ bus } = await listenTo(ns.url, ns.namespace, adNeedV1, [adNeedV1, adSolutionV1, adSolutionV2, adServedV1, adClickedV1, serviceHeartbeatV1]));
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    apps = [];
    await bus.close();
    await ns.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records every answer of every version, losers, translations and shadows included, who won, and a click once', async () => {
    const monitor = await start();
    const won = await raceOnce(needFor(), 'v1');
    await raceOnce(needFor('my-trips'), 'v2');
    await raceOnce(needFor('offers'), null);
    // Clicked twice: one click.
    for (let i = 0; i < 2; i++) {
      await bus.publish(adClickedV1, createAdClickedV1({ id: won.id, conversationId: won.conversationId }, web, { customerId: anna.id, servedBy: { version: 'v1' }, offerId: SAMPLE_AD.offer.id }));
    }
    await eventually(async () => (await compare(monitor, 'v1', 'v2')).a.clicks === 1, 5_000, 'the click recorded');
    const v1v2 = await compare(monitor, 'v1', 'v2');
    expect(v1v2).toMatchObject({ needs: 3, houseAds: 1 });
    // Each version once per need: v2's translation is not a second answer.
    expect(v1v2.a).toMatchObject({ answers: 3, wins: 1, clicks: 1, shadow: false });
    expect(v1v2.b).toMatchObject({ answers: 3, wins: 1, clicks: 0, shadow: false });
    expect(v1v2.a.meanFitness).not.toBeNull();
    const v2v3 = await compare(monitor, 'v2', 'v3');
    // v3 answered in shadow: never served, and every one of its answers came before the served one.
    expect(v2v3.b).toMatchObject({ answers: 3, wins: 0, shadow: true, wouldHaveWon: 0 });
    expect(v2v3.verdict).toBe('not enough data');
  });

  it('records an answer that breaks its contract as invalid, without dead-lettering it again', async () => {
    const monitor = await start();
    const need = needFor();
    await bus.publish(adNeedV1, need);
    ns.probe.publishRaw(adSolutionV1, '{"name":"ad.solution","schemaVersion":1}', {
      type: 'ad.solution',
      messageId: 'a-broken-answer',
      correlationId: need.id,
      headers: { 'schema-version': 1, 'producer-version': 'v9', 'producer-instance': 'ads-v9-test' },
    });
    await eventually(async () => (await compare(monitor, 'v9', 'v1')).a.invalid === 1, 5_000, 'the broken answer recorded');
    expect(await ns.probe.deadLetterDepth()).toBe(0);
    const metrics = (await monitor.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'ad_race_monitor_messages_total', { channel: 'ad.solution.v1', valid: 'false' })).toBe(1);
  });

  it('records what was published while it was down once it is back, from its durable queues', async () => {
    const first = await start();
    await raceOnce(needFor(), 'v1');
    await eventually(async () => (await compare(first, 'v1', 'v2')).needs === 1, 5_000, 'the first need recorded');
    await first.close();
    apps = [];
    // Nobody is listening for the monitor now: the needs expire from its queue at their deadline,
    // the answers and who won wait for it.
    await raceOnce(needFor('while-down'), 'v2');
    const last = needFor('still-down');
    await raceOnce(last, 'v2');
    // Back only once the needs are past their deadline: the broker has dropped them from every queue.
    await eventually(() => Date.now() > Date.parse(last.deadline) + 100, 2_000, 'the needs expired');
    const second = await start();
    await eventually(async () => (await compare(second, 'v1', 'v2')).needs === 3, 5_000, 'the missed needs recorded');
    expect((await compare(second, 'v1', 'v2')).b).toMatchObject({ answers: 3, wins: 2 });
  });

  it('knows which versions are alive from their heartbeats, and notices one that stops', async () => {
    const monitor = await start();
    const beat = (producer: typeof v1, state: 'started' | 'stopping', shadow = false) =>
      bus.publish(serviceHeartbeatV1, createServiceHeartbeatV1(producer, { state, shadow, reads: ['ad.need.v2'], writes: ['ad.solution.v2'], intervalMs: 60_000 }));
    await beat(v2, 'started');
    await beat(v3, 'started', true);
    const versions = async () => (await monitor.inject({ method: 'GET', url: '/api/versions' })).json<{ versions: { service: string; version: string; alive: boolean; shadow: boolean; instances: unknown[] }[] }>().versions;
    await eventually(async () => (await versions()).filter((v) => v.service === 'ads' && v.alive).length === 2, 5_000, 'v2 and v3 alive');
    expect((await versions()).find((v) => v.version === 'v3')).toMatchObject({ alive: true, shadow: true, instances: [expect.objectContaining({ instance: 'ads-v3-test' })] });
    // The monitor's own heartbeat is there too.
    expect((await versions()).some((v) => v.service === 'monitor' && v.alive)).toBe(true);
    await beat(v2, 'stopping');
    await eventually(async () => (await versions()).find((v) => v.version === 'v2')?.alive === false, 5_000, 'v2 gone');
  });

  it('answers a comparison request that is not one with a clear error', async () => {
    const monitor = await start();
    const missing = await monitor.inject({ method: 'GET', url: '/api/comparison?a=v1' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ message: string }>().message).toContain('b');
    const backwards = await monitor.inject({ method: 'GET', url: '/api/comparison?a=v1&b=v2&from=2026-11-30T10:00:00Z&to=2026-11-30T09:00:00Z' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toEqual({ error: '"from" must be before "to"' });
  });

  describe('the dashboard', () => {
    const beat = (producer: typeof v1, shadow = false) =>
      bus.publish(serviceHeartbeatV1, createServiceHeartbeatV1(producer, { state: 'started', shadow, reads: ['ad.need.v2'], writes: ['ad.solution.v2'], intervalMs: 60_000 }));

    async function snapshot(app: FastifyInstance, query = ''): Promise<DashboardSnapshot> {
      const res = await app.inject({ method: 'GET', url: `/api/dashboard${query}` });
      expect(res.statusCode).toBe(200);
      const body: unknown = res.json();
      if (!Value.Check(DashboardSnapshot, body)) throw new Error(`a snapshot that breaks its schema: ${[...Value.Errors(DashboardSnapshot, body)].slice(0, 3).map((e) => `${e.path} ${e.message}`).join('; ')}`);
      return body;
    }

    it('answers one snapshot: the versions alive, their series, the last races, and the verdict of a pair', async () => {
      const monitor = await start({ DASHBOARD_INTERVAL_MS: '250' });
      await beat(v2);
      await beat(v3, true);
      const won = await raceOnce(needFor(), 'v1');
      await raceOnce(needFor('my-trips'), 'v2');
      await eventually(async () => (await snapshot(monitor)).races.length === 2, 5_000, 'both races recorded');
      await eventually(async () => (await snapshot(monitor)).versions.filter((v) => v.service === 'ads' && v.alive).length === 2, 5_000, 'v2 and v3 alive');
      const s = await snapshot(monitor);
      expect(s.window).toBe('5m');
      expect(s.versions.find((v) => v.version === 'v3')).toMatchObject({ alive: true, shadow: true, reads: ['ad.need.v2'], writes: ['ad.solution.v2'] });
      expect(s.series.times).toHaveLength(30);
      expect(s.series.versions.map((v) => [v.version, v.shadow])).toEqual([
        ['v1', false],
        ['v2', false],
        ['v3', true],
      ]);
      const v1Series = s.series.versions[0]!;
      expect(v1Series.answers.reduce((a, b) => a + b, 0)).toBe(2);
      expect(v1Series.winRate.filter((x) => x !== null)).toEqual([0.5]);
      expect(s.fitness.versions.map((v) => v.total)).toEqual([2, 2, 2]);
      // The newest race first: v2 won it through the schema adapter; v3 answered in shadow.
      expect(s.races[0]).toMatchObject({ page: 'my-trips', winner: 'v2', deadlineMs: 250, noAnswer: [] });
      expect(s.races[0]!.replies.find((r) => r.version === 'v2')).toMatchObject({ won: true, translated: true });
      expect(s.races[0]!.replies.find((r) => r.version === 'v3')).toMatchObject({ won: false, shadow: true });
      expect(s.races[1]).toMatchObject({ needId: won.conversationId, winner: 'v1' });
      // Two races are not enough for a verdict, and the dashboard says so.
      expect(s.comparison).toMatchObject({ a: { version: 'v1' }, b: { version: 'v2' }, verdict: 'not enough data' });
      expect((await snapshot(monitor, '?window=1h&a=v2&b=v3')).comparison).toMatchObject({ a: { version: 'v2' }, b: { version: 'v3', shadow: true } });
      expect((await monitor.inject({ method: 'GET', url: '/api/dashboard?window=2w' })).statusCode).toBe(400);
    });

    it('streams a snapshot to every connected dashboard every interval, new races included, and counts them', async () => {
      const monitor = await start({ DASHBOARD_INTERVAL_MS: '250' });
      const address = await monitor.listen({ port: 0, host: '127.0.0.1' });
      const open = async () => {
        const abort = new AbortController();
        const res = await fetch(`${address}/api/dashboard/stream?window=5m`, { signal: abort.signal });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        /** The next snapshot event of the stream. */
        const next = async (): Promise<DashboardSnapshot> => {
          for (;;) {
            const end = buffer.indexOf('\n\n');
            if (end >= 0) {
              const event = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = /^event: snapshot\ndata: (.*)$/s.exec(event)?.[1];
              if (data === undefined) continue; // the retry line, a comment
              const body: unknown = JSON.parse(data);
              expect(Value.Check(DashboardSnapshot, body)).toBe(true);
              return body as DashboardSnapshot;
            }
            const { value, done } = await reader.read();
            if (done) throw new Error('the stream ended');
            buffer += decoder.decode(value, { stream: true });
          }
        };
        return { res, next, close: () => abort.abort() };
      };
      const dashboards = [await open(), await open()];
      const [first] = dashboards;
      expect(first!.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(first!.res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const connected = async () => metricValue((await monitor.inject({ method: 'GET', url: '/metrics' })).body, 'ad_race_monitor_dashboards_connected');
      expect(await connected()).toBe(2);
      for (const d of dashboards) expect((await d.next()).races).toEqual([]);
      const need = needFor('streamed');
      await raceOnce(need, 'v1');
      // Both dashboards see the race, from the snapshots that keep coming.
      for (const d of dashboards) {
        let s = await d.next();
        while (s.races.length === 0) s = await d.next();
        expect(s.races[0]).toMatchObject({ needId: need.id, page: 'streamed', winner: 'v1' });
      }
      for (const d of dashboards) d.close();
      await eventually(async () => (await connected()) === 0, 5_000, 'both dashboards gone');
    });

    it('serves the dashboard page at / with the customer page’s security headers', async () => {
      const webRoot = join(dataDir, 'web');
      mkdirSync(webRoot);
      writeFileSync(join(webRoot, 'dashboard.html'), '<!doctype html><title>ad-race monitor</title>');
      const monitor = await start({ WEB_ROOT: webRoot });
      const res = await monitor.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('ad-race monitor');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });
  });
});
