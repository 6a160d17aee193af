import { adNeedV1, adNeedV2, adSolutionV1, adSolutionV2, createAdNeedV1, createAdNeedV2, type AdSolutionV1 } from '@ad-race/contracts';
import { listenTo, waitUntilReady, type Listener } from '@ad-race/service-testing';
import { eventually, metricValue, openTestNamespace, sleep } from '@ad-race/testing';
import { readConfig } from '@ad-race/service-runtime';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { AdsConfig, buildApp } from './app';

const web = { service: 'web', version: '1.0.0', instance: 'web-test' };
const payload = { customerId: 'c-0001', city: 'Amsterdam', loyaltyTier: 'gold' as const, page: 'login' };

describe('ads v3 on the bus', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let app: FastifyInstance;
  let listener: Listener<AdSolutionV1>;

  async function start(env: Record<string, string> = {}) {
    const config = readConfig(AdsConfig, { AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, INSTANCE_ID: 'ads-v3-test', ...env });
    app = await buildApp({ config, logger: pino({ level: 'silent' }) });
    await app.ready();
    await waitUntilReady(app);
  }

  async function metric(name: string, labels: Record<string, string>) {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    return metricValue(res.body, name, labels);
  }

  beforeEach(async () => {
    ns = await openTestNamespace('ads-v3');
    ns.willUseSharedQueue(adNeedV1, 'ads-v3');
    listener = await listenTo(ns.url, ns.namespace, adSolutionV1, [adNeedV1]);
  });

  afterEach(async () => {
    await app?.close();
    await listener.bus.close();
    await ns.cleanup();
  });

  it('answers a need with an ad, naming itself and the need', async () => {
    await start();
    const need = createAdNeedV1(web, payload, 5_000);
    await listener.bus.publish(adNeedV1, need);
    const { message, meta } = (await listener.heard.waitFor(1))[0]!;
    expect(message.causationId).toBe(need.id);
    expect(meta.conversationId).toBe(need.id);
    expect(message.producer).toEqual({ service: 'ads', version: 'v3', instance: 'ads-v3-test' });
    expect(message.shadow).toBe(false);
    expect(message.payload.ad.offer.city).toBe('Amsterdam');
  });

  it('marks its answers as shadow when configured so', async () => {
    await start({ SHADOW: 'true' });
    await listener.bus.publish(adNeedV1, createAdNeedV1(web, payload, 5_000));
    const { message } = (await listener.heard.waitFor(1))[0]!;
    expect(message.shadow).toBe(true);
  });

  it('does not answer a need past its deadline', async () => {
    await start();
    const stale = createAdNeedV1(web, payload, 10, new Date(Date.now() - 1_000));
    ns.probe.publishRaw(adNeedV1, JSON.stringify(stale), { messageId: stale.id });
    await eventually(async () => (await metric('ad_race_needs_expired_total', { version: 'v3' })) === 1, 5_000, 'the stale need counted');
    await sleep(100); // time for an answer to show, were there one
    expect(listener.heard.items).toEqual([]);
  });

  it('dead-letters a malformed need, counts it, and keeps answering', async () => {
    await start();
    ns.probe.publishRaw(adNeedV1, JSON.stringify({ name: 'ad.need', schemaVersion: 1, payload: {} }), { messageId: 'broken' });
    await listener.bus.publish(adNeedV1, createAdNeedV1(web, payload, 5_000));
    await listener.heard.waitFor(1);
    const letters = await ns.probe.takeDeadLetters();
    expect(letters.map((l) => l.messageId)).toEqual(['broken']);
    expect(await metric('ad_race_invalid_messages_total', { version: 'unknown' })).toBe(1);
    expect(await metric('ad_race_solutions_published_total', { version: 'v3' })).toBe(1);
  });

  it('with MESSAGES=v2, answers version-2 needs in their conversation with ranked offers, and no longer reads version 1', async () => {
    await start({ MESSAGES: 'v2' });
    ns.willUseSharedQueue(adNeedV2, 'ads-v3');
    const solutionsV2 = await listenTo(ns.url, ns.namespace, adSolutionV2, [adNeedV2]);
    try {
      await listener.bus.publish(adNeedV1, createAdNeedV1(web, payload, 5_000));
      const need = { ...createAdNeedV2(web, { ...payload, preferredClasses: ['electric'], partySize: 2, rentals: { count: 3, mostRecentClass: 'compact' }, trip: null }, 5_000) };
      const translated = { ...need, conversationId: '7b2f0c1e-3d4a-4c5b-9e6f-0a1b2c3d4e5f' };
      await solutionsV2.bus.publish(adNeedV2, translated);
      const { message, meta } = (await solutionsV2.heard.waitFor(1))[0]!;
      expect(message).toMatchObject({ causationId: need.id, conversationId: translated.conversationId, producer: { version: 'v3' }, shadow: false });
      expect(meta.conversationId).toBe(translated.conversationId);
      expect(message.payload.offers[0]!.ad.offer).toMatchObject({ carClass: 'electric', city: 'Amsterdam' });
      await sleep(100); // time for an answer to the version-1 need to show, were there one
      expect(listener.heard.items).toEqual([]);
    } finally {
      await solutionsV2.bus.close();
    }
  });

  it('is live at once, and ready only while connected to the broker', async () => {
    const config = readConfig(AdsConfig, { AMQP_URL: 'amqp://guest:guest@127.0.0.1:1', BUS_NAMESPACE: ns.namespace });
    app = await buildApp({ config, logger: pino({ level: 'silent' }) });
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not ready', reason: 'not connected to the message broker' });
  });

  it('serves Prometheus metrics labelled by version', async () => {
    await start();
    await listener.bus.publish(adNeedV1, createAdNeedV1(web, payload, 5_000));
    await listener.heard.waitFor(1);
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(metricValue(res.body, 'ad_race_needs_received_total', { version: 'v3', service: 'ads', instance: 'ads-v3-test' })).toBe(1);
    expect(metricValue(res.body, 'ad_race_selection_ms_count', { version: 'v3' })).toBe(1);
  });

  it('loses no need when it shuts down: each is answered or left in the queue for a replica', async () => {
    await start();
    for (let i = 0; i < 20; i++) await listener.bus.publish(adNeedV1, createAdNeedV1(web, payload, 5_000));
    await app.close();
    await sleep(100);
    const waiting = await ns.probe.queueDepth(adNeedV1, 'ads-v3');
    expect(listener.heard.items.length + waiting).toBe(20);
  });
});
