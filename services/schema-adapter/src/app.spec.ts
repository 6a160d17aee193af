import { CUSTOMERS } from '@ad-race/catalog';
import {
  adNeedV1,
  adNeedV2,
  adSolutionV1,
  adSolutionV2,
  createAdNeedV1,
  createAdSolutionV2,
  type AdNeedV2,
  type AdSolutionV1,
} from '@ad-race/contracts';
import { readConfig } from '@ad-race/service-runtime';
import { listenTo, SAMPLE_AD, waitUntilReady, type Listener } from '@ad-race/service-testing';
import { eventually, metricValue, openTestNamespace, sleep } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { AdapterConfig, buildApp } from './app';

const web = { service: 'web', version: '1.0.0', instance: 'web-test' };
const adsV2 = { service: 'ads', version: 'v2', instance: 'ads-v2-test' };
const anna = CUSTOMERS.find((c) => c.email === 'anna@example.com')!;
const payload = { customerId: anna.id, city: 'Amsterdam', loyaltyTier: 'gold' as const, page: 'login' };
const ad2 = { ...SAMPLE_AD, headline: 'The runner-up' };

describe('the schema adapter on the bus', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  const apps: FastifyInstance[] = [];
  let needsV2: Listener<AdNeedV2>;
  let solutionsV1: Listener<AdSolutionV1>;

  async function start(instance = 'schema-adapter-test') {
    const config = readConfig(AdapterConfig, { AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, INSTANCE_ID: instance });
    const app = await buildApp({ config, logger: pino({ level: 'silent' }) });
    apps.push(app);
    await app.ready();
    await waitUntilReady(app);
    return app;
  }

  async function metric(app: FastifyInstance, name: string, labels: Record<string, string>) {
    return metricValue((await app.inject({ method: 'GET', url: '/metrics' })).body, name, labels);
  }

  beforeEach(async () => {
    ns = await openTestNamespace('adapter');
    ns.willUseSharedQueue(adNeedV1, 'schema-adapter');
    ns.willUseSharedQueue(adSolutionV2, 'schema-adapter');
    needsV2 = await listenTo(ns.url, ns.namespace, adNeedV2, [adNeedV1, adSolutionV2]);
    solutionsV1 = await listenTo(ns.url, ns.namespace, adSolutionV1);
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await needsV2.bus.close();
    await solutionsV1.bus.close();
    await ns.cleanup();
  });

  it('upcasts a version-1 need: the same deadline and conversation, enriched from the customer profile, marked as a translation', async () => {
    await start();
    const need = createAdNeedV1(web, payload, 5_000);
    await needsV2.bus.publish(adNeedV1, need);
    const { message, meta } = (await needsV2.heard.waitFor(1))[0]!;
    expect(message).toMatchObject({ conversationId: need.id, causationId: need.id, deadline: need.deadline, producer: web });
    expect(message.id).not.toBe(need.id);
    expect(message.payload).toMatchObject({ ...payload, preferredClasses: anna.preferredClasses, partySize: 2, trip: { city: 'Barcelona' } });
    expect(meta).toMatchObject({ conversationId: need.id, translatedBy: 'schema-adapter-test', translatedFrom: 'ad.need.v1', schemaVersion: 2 });
  });

  it('downcasts a version-2 answer to its first offer, still served as the version that chose it', async () => {
    const app = await start();
    const need = createAdNeedV1(web, payload, 5_000);
    await needsV2.bus.publish(adNeedV1, need);
    const { message: upcast } = (await needsV2.heard.waitFor(1))[0]!;
    const answer = createAdSolutionV2(upcast, adsV2, false, { offers: [{ ad: SAMPLE_AD, score: 0.9 }, { ad: ad2, score: 0.4 }], confidence: 0.8 });
    await needsV2.bus.publish(adSolutionV2, answer);
    const { message, meta } = (await solutionsV1.heard.waitFor(1))[0]!;
    expect(message).toMatchObject({ causationId: answer.id, producer: adsV2, shadow: false, payload: { ad: SAMPLE_AD } });
    expect(meta).toMatchObject({ conversationId: need.id, translatedBy: 'schema-adapter-test', translatedFrom: 'ad.solution.v2' });
    const labels = { from: 'ad.solution.v2', to: 'ad.solution.v1' };
    await eventually(async () => (await metric(app, 'ad_race_translations_total', labels)) === 1, 2_000, 'the translation counted');
    expect(await metric(app, 'ad_race_translation_ms_count', labels)).toBe(1);
  });

  it('dead-letters, with the reason, a need it cannot enrich, and counts it; the needs behind it flow', async () => {
    const app = await start();
    const stranger = createAdNeedV1(web, { ...payload, customerId: 'c-9999' }, 5_000);
    await needsV2.bus.publish(adNeedV1, stranger);
    const known = createAdNeedV1(web, payload, 5_000);
    await needsV2.bus.publish(adNeedV1, known);
    await needsV2.heard.waitUntil(({ message }) => message.conversationId === known.id);
    const letter = (await ns.probe.takeDeadLetters(1))[0];
    expect(letter).toMatchObject({
      messageId: stranger.id,
      queue: `${ns.namespace}.ad.need.v1.schema-adapter`,
      reason: 'cannot translate ad.need.v1 into ad.need.v2: no profile of customer c-9999: cannot add what version 2 needs',
    });
    expect(await metric(app, 'ad_race_untranslatable_total', { from: 'ad.need.v1' })).toBe(1);
    expect(needsV2.heard.items.map((h) => h.message.conversationId)).toEqual([known.id]);
  });

  it('never translates a translation, so nothing goes round in a loop', async () => {
    const app = await start();
    // A version-1 need marked as made by an adapter (as a downcast need would be): left alone.
    const translated = createAdNeedV1(web, payload, 5_000);
    await needsV2.bus.publish(adNeedV1, translated, { translatedFrom: adNeedV2 });
    const fresh = createAdNeedV1(web, payload, 5_000);
    await needsV2.bus.publish(adNeedV1, fresh);
    await needsV2.heard.waitUntil(({ message }) => message.conversationId === fresh.id);
    await eventually(async () => (await metric(app, 'ad_race_translations_skipped_total', { from: 'ad.need.v1' })) === 1, 2_000, 'the skip counted');
    await sleep(100); // time for a translation to show, were there one
    expect(needsV2.heard.items.map((h) => h.message.conversationId)).toEqual([fresh.id]);
    expect(await ns.probe.takeDeadLetters()).toEqual([]);
  });

  it('dead-letters a version-3 answer on the version-2 exchange once, counts it, and translates the good ones behind it', async () => {
    const app = await start();
    const need = createAdNeedV1(web, payload, 5_000);
    const answer = createAdSolutionV2({ id: need.id, conversationId: need.id }, adsV2, false, { offers: [{ ad: SAMPLE_AD, score: 1 }], confidence: 1 });
    ns.probe.publishRaw(adSolutionV2, JSON.stringify({ ...answer, schemaVersion: 3 }), { messageId: 'v3', type: 'ad.solution', headers: { 'schema-version': 3 } });
    ns.probe.publishRaw(adSolutionV2, JSON.stringify({ ...answer, schemaVersion: 3 }), { messageId: 'v3-unlabelled' });
    await needsV2.bus.publish(adSolutionV2, answer);
    await solutionsV1.heard.waitFor(1);
    const letters = await ns.probe.takeDeadLetters(2);
    expect(letters.map((l) => [l.messageId, l.reason])).toEqual([
      ['v3', 'unknown schema version 3 of "ad.solution" (this consumer reads version 2)'],
      ['v3-unlabelled', 'unknown schema version 3 of "ad.solution" (this consumer reads version 2)'],
    ]);
    // Published raw, without a producer-version header: counted as from an unknown version.
    await eventually(async () => (await metric(app, 'ad_race_invalid_messages_total', { version: 'unknown' })) === 2, 2_000, 'both counted');
    await sleep(200); // dead-lettered once: not redelivered
    expect(await ns.probe.takeDeadLetters()).toEqual([]);
  });

  it('does not translate a need past its deadline', async () => {
    const app = await start();
    const stale = createAdNeedV1(web, payload, 10, new Date(Date.now() - 1_000));
    ns.probe.publishRaw(adNeedV1, JSON.stringify(stale), { messageId: stale.id });
    await eventually(async () => (await metric(app, 'ad_race_needs_expired_total', { version: '1.0.0' })) === 1, 2_000, 'the stale need counted');
    expect(needsV2.heard.items).toEqual([]);
  });

  it('shares its queues between replicas: two adapters translate each message once', async () => {
    const a = await start('adapter-a');
    const b = await start('adapter-b');
    const needs = Array.from({ length: 40 }, () => createAdNeedV1(web, payload, 5_000));
    for (const need of needs) await needsV2.bus.publish(adNeedV1, need);
    await needsV2.heard.waitFor(40);
    await sleep(100); // time for a second copy to show, were there one
    expect(needsV2.heard.items.map((h) => h.message.conversationId).sort()).toEqual(needs.map((n) => n.id).sort());
    const labels = { from: 'ad.need.v1', to: 'ad.need.v2' };
    const [byA, byB] = [await metric(a, 'ad_race_translations_total', labels), await metric(b, 'ad_race_translations_total', labels)];
    expect(byA + byB).toBe(40);
    expect(new Set(needsV2.heard.items.map((h) => h.meta.translatedBy))).toEqual(new Set(['adapter-a', 'adapter-b']));
  });

  it('is ready only while connected to the broker', async () => {
    const config = readConfig(AdapterConfig, { AMQP_URL: 'amqp://guest:guest@127.0.0.1:1', BUS_NAMESPACE: ns.namespace });
    const app = await buildApp({ config, logger: pino({ level: 'silent' }) });
    apps.push(app);
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
  });
});
