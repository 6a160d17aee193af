import { adNeedV1, adNeedV2, createAdNeedV1, createAdNeedV2 } from '@ad-race/contracts';
import { listenTo } from '@ad-race/service-testing';
import { eventually, metricValue, sleep } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import { stackUnderTest } from './stack-under-test';

// Old and new message versions side by side: the web server and ads-v1 on
// version 1, ads-v2 on version 2, and the schema adapter translating between.
describe('two message versions on one bus: ads-v2 on v2 through the schema adapter, web and ads-v1 on v1', () => {
  const stack = stackUnderTest('versions');
  const { start, stop, customer, metrics } = stack;

  it('races v1 on version 1 against v2 on version 2 over a few hundred needs: both answer each, the first answer wins', async () => {
    const web = await start('web');
    await start('ads-v1');
    await start('schema-adapter');
    await start('ads-v2', { MESSAGES: 'v2' });
    const anna = await customer(web);
    expect(anna.messages.items[0]).toMatchObject({ type: 'ad', page: 'login' });
    for (let i = 0; i < 300; i++) {
      const ad = await anna.view(`page-${i}`);
      const race = await anna.raceOf(ad.needId, 2);
      // v1 answers directly, v2 through the adapter; whichever answer came first is the one shown.
      expect(race.replies.map((r) => [r.version, r.translated]).sort()).toEqual([
        ['v1', false],
        ['v2', true],
      ]);
      expect([race.replies[0]!.version, race.replies[0]!.won]).toEqual([ad.servedBy.version, true]);
    }
    expect(metricValue(await metrics(web), 'ad_race_translated_replies_total', { version: 'v2' })).toBeGreaterThanOrEqual(300);
    expect(metricValue(await metrics(web), 'ad_race_fallbacks_total', { version: 'fallback' })).toBe(0);
  }, 60_000);

  it('keeps serving every page from v1 while the adapter is stopped, and v2 comes back when it starts again', async () => {
    const web = await start('web');
    await start('ads-v1');
    const adapter = await start('schema-adapter');
    await start('ads-v2', { MESSAGES: 'v2' });
    const anna = await customer(web);
    await eventually(async () => (await anna.raceOf((await anna.view('home')).needId, 2)).replies.length === 2, 10_000, 'both versions answering');

    await stop(adapter);
    for (let i = 0; i < 20; i++) {
      const ad = await anna.view('deals');
      expect(ad.servedBy.version).toBe('v1');
    }
    expect(metricValue(await metrics(web), 'ad_race_fallbacks_total', { version: 'fallback' })).toBe(0);

    await start('schema-adapter');
    await eventually(
      async () => (await anna.raceOf((await anna.view('my-trips')).needId)).replies.some((r) => r.version === 'v2' && r.translated),
      10_000,
      'v2 answering through the adapter again',
    );
  }, 60_000);

  it('has two adapter replicas translate each need once between them', async () => {
    const a = await start('schema-adapter', { INSTANCE_ID: 'adapter-a' });
    const b = await start('schema-adapter', { INSTANCE_ID: 'adapter-b' });
    // Needs as the web server publishes them, heard again in version 2.
    const needsV2 = await listenTo(stack.ns.url, stack.ns.namespace, adNeedV2, [adNeedV1]);
    try {
      const web = { service: 'web', version: '1.0.0', instance: 'web-test' };
      const needs = Array.from({ length: 40 }, (_, i) => createAdNeedV1(web, { customerId: 'c-0001', city: 'Amsterdam', loyaltyTier: 'gold', page: `page-${i}` }, 5_000));
      for (const need of needs) await needsV2.bus.publish(adNeedV1, need);
      await needsV2.heard.waitFor(40);
      await sleep(200); // time for a second translation to show, were there one
      expect(needsV2.heard.items.map((h) => h.message.conversationId).sort()).toEqual(needs.map((n) => n.id).sort());
      const count = async (app: FastifyInstance) => metricValue(await metrics(app), 'ad_race_translations_total', { from: 'ad.need.v1', to: 'ad.need.v2' });
      expect([(await count(a)) > 0, (await count(b)) > 0, (await count(a)) + (await count(b))]).toEqual([true, true, 40]);
    } finally {
      await needsV2.bus.close();
    }
  });

  it('dead-letters a version-3 need published on the version-2 exchange once, counts it, and the good needs behind it flow', async () => {
    const web = await start('web');
    await start('schema-adapter');
    const v2 = await start('ads-v2', { MESSAGES: 'v2' });
    const anna = await customer(web);
    const producer = { service: 'web', version: '3.0.0', instance: 'web-from-the-future' };
    const future = { ...createAdNeedV2(producer, { customerId: 'c-0001', city: 'Amsterdam', loyaltyTier: 'gold', page: 'home', preferredClasses: [], partySize: 1, rentals: { count: 0, mostRecentClass: null }, trip: null }, 5_000), schemaVersion: 3 };
    for (let i = 0; i < 3; i++) stack.ns.probe.publishRaw(adNeedV2, JSON.stringify(future), { messageId: `v3-${i}`, type: 'ad.need', headers: { 'schema-version': 3, 'producer-version': '3.0.0' } });
    for (let i = 0; i < 3; i++) expect((await anna.view('deals')).servedBy).toMatchObject({ version: 'v2' });
    const letters = await stack.ns.probe.takeDeadLetters(3);
    expect(letters.map((l) => [l.messageId, l.queue, l.reason])).toEqual(
      [0, 1, 2].map((i) => [`v3-${i}`, `${stack.ns.namespace}.ad.need.v2.ads-v2`, 'unknown schema version 3 of "ad.need" (this consumer reads version 2)']),
    );
    await eventually(async () => metricValue(await metrics(v2), 'ad_race_invalid_messages_total', { version: '3.0.0' }) === 3, 2_000, 'three counted');
    await sleep(200); // dead-lettered once each: never redelivered
    expect(await stack.ns.probe.takeDeadLetters()).toEqual([]);
  }, 60_000);
});
