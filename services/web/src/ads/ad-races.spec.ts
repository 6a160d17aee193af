import { adClickedV1, adNeedV1, adServedV1, adSolutionV1, adSolutionV2, createAdSolutionV1, newMessageId, type AdNeedV1 } from '@ad-race/contracts';
import { listenTo, SAMPLE_AD, startScriptedAds, type Listener, type ScriptedVersion } from '@ad-race/service-testing';
import { eventually, metricValue, openTestNamespace, sleep } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import { logIn, openAdSocket, openCustomerSocket, startWeb, type AdSocket } from '../testing';

describe('the race, as the web server runs it', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let app: FastifyInstance;
  let ads: Awaited<ReturnType<typeof startScriptedAds>> | undefined;
  const sockets: AdSocket[] = [];

  async function setUp(versions: ScriptedVersion[], env: Record<string, string> = {}) {
    ads = versions.length ? await startScriptedAds(ns.url, ns.namespace, versions) : undefined;
    app = await startWeb({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, ...env });
  }

  async function socketFor(email?: string) {
    const socket = await openCustomerSocket(app, email);
    sockets.push(socket);
    return socket;
  }

  beforeEach(async () => {
    ns = await openTestNamespace('web-race');
  });

  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.ws.terminate());
    await app?.close();
    await ads?.close();
    await ns.cleanup();
  });

  it('publishes a need for the page the customer opened, with what the web server knows of them', async () => {
    await setUp([{ version: 'v1', delayMs: 0 }]);
    const anna = await socketFor();
    const ad = await anna.view('deals');
    const need = await ads!.needs.waitUntil((n) => n.id === ad.needId);
    expect(need.payload).toEqual({ customerId: 'c-0001', city: 'Amsterdam', loyaltyTier: 'gold', page: 'deals' });
    expect(need.producer.service).toBe('web');
    expect(Date.parse(need.deadline) - Date.parse(need.createdAt)).toBe(250);
  });

  it('shows the first answer, and then the race: every reply in order of arrival', async () => {
    await setUp([
      { version: 'v1', delayMs: 40 },
      { version: 'v2', delayMs: 0 },
    ]);
    const anna = await socketFor();
    const ad = await anna.view('home');
    expect(ad.servedBy).toEqual({ service: 'ads', version: 'v2', instance: 'v2-scripted' });
    expect(ad.ad).toEqual(SAMPLE_AD);
    expect(ad.latencyMs).toBeGreaterThan(0);
    const race = await anna.raceOf(ad.needId, 2);
    expect(race.replies.map((r) => [r.version, r.won, r.late])).toEqual([
      ['v2', true, false],
      ['v1', false, false],
    ]);
    expect(race.replies[1]!.latencyMs).toBeGreaterThan(race.replies[0]!.latencyMs);
    expect(race.deadlineMs).toBe(250);
  });

  it('never shows a shadow answer, however fast, but times it', async () => {
    await setUp([
      { version: 'v3', delayMs: 0, shadow: true },
      { version: 'v1', delayMs: 30 },
    ]);
    const anna = await socketFor();
    const ad = await anna.view('home');
    expect(ad.servedBy.version).toBe('v1');
    const race = await anna.raceOf(ad.needId, 2);
    expect(race.replies).toEqual([
      expect.objectContaining({ version: 'v3', shadow: true, won: false }),
      expect.objectContaining({ version: 'v1', shadow: false, won: true }),
    ]);
  });

  it('shows the house ad when no answer comes by the deadline, then times the late answer', async () => {
    await setUp([{ version: 'v1', delayMs: 250 }], { AD_DEADLINE_MS: '100' });
    const anna = await socketFor();
    const ad = await anna.view('home');
    expect(ad.servedBy).toMatchObject({ service: 'web', version: 'fallback' });
    expect(ad.ad.offer.id).toBe('house-ad');
    expect(ad.latencyMs).toBeGreaterThanOrEqual(100);
    const late = await anna.raceOf(ad.needId);
    expect(late.replies).toEqual([expect.objectContaining({ version: 'v1', won: false, late: true })]);
    expect(late.replies[0]!.latencyMs).toBeGreaterThan(100);
  });

  it('shows the house ad when no ad service runs at all', async () => {
    await setUp([], { AD_DEADLINE_MS: '50' });
    const anna = await socketFor();
    const ad = await anna.view('home');
    expect(ad.servedBy.version).toBe('fallback');
    expect(ad.latencyMs).toBeGreaterThanOrEqual(50);
    expect((await anna.raceOf(ad.needId, 0)).replies).toEqual([]);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'ad_race_fallbacks_total', { version: 'fallback' })).toBe(2); // the login's and this page's
  });

  it('sends a page view’s ad and race summary to the socket that asked, not to the customer’s other tabs', async () => {
    await setUp([{ version: 'v1', delayMs: 0 }]);
    const cookie = await logIn(app, 'anna@example.com');
    const tab1 = await openAdSocket(app, cookie);
    const tab2 = await openAdSocket(app, cookie);
    const ben = await socketFor('ben@example.com');
    sockets.push(tab1, tab2);
    const ad1 = await tab1.view('home');
    const ad2 = await tab2.view('deals');
    await tab1.raceOf(ad1.needId);
    await tab2.raceOf(ad2.needId);
    // A page view from each after the first ones: its ad comes after anything the server sent about them.
    await tab1.view('barrier');
    await tab2.view('barrier');
    await ben.view('barrier');
    const about = (socket: AdSocket, needId: string) => socket.messages.items.filter((m) => 'needId' in m && m.needId === needId).map((m) => m.type);
    expect(about(tab1, ad1.needId)).toEqual(['ad', 'race']);
    expect(about(tab2, ad1.needId)).toEqual([]);
    expect(about(tab2, ad2.needId)).toEqual(['ad', 'race']);
    expect(about(tab1, ad2.needId)).toEqual([]);
    expect([...about(ben, ad1.needId), ...about(ben, ad2.needId)]).toEqual([]);
  });

  it('asks for an ad at login, and delivers it when the page’s socket opens', async () => {
    await setUp([{ version: 'v1', delayMs: 0 }]);
    const cookie = await logIn(app, 'chloe@example.com');
    const need = await ads!.needs.waitUntil((n) => n.payload.customerId === 'c-0003');
    expect(need.payload.page).toBe('login');
    await sleep(100); // the answer arrives before the socket opens
    const socket = await openAdSocket(app, cookie);
    sockets.push(socket);
    const ad = await socket.messages.waitUntil((m) => m.type === 'ad');
    expect(ad).toMatchObject({ needId: need.id, servedBy: { version: 'v1' } });
  });

  it('sends the login’s ad to the first socket its session opens, not to the customer’s sockets of another login', async () => {
    // The ad service answers after 150 ms: the new page's socket opens first, and gets the login's ad when it comes.
    await setUp([{ version: 'v1', delayMs: 150 }]);
    const otherDevice = await socketFor('diego@example.com');
    const needsBefore = ads!.needs.items.length;
    const cookie = await logIn(app, 'diego@example.com');
    const first = await openAdSocket(app, cookie);
    sockets.push(first);
    const need = await ads!.needs.waitUntil((n) => n.payload.customerId === 'c-0004' && n.payload.page === 'login', { from: needsBefore });
    const ad = await first.messages.waitUntil((m) => m.type === 'ad');
    expect(ad).toMatchObject({ needId: need.id, page: 'login', servedBy: { version: 'v1' } });
    await first.raceOf(need.id);
    const second = await openAdSocket(app, cookie);
    sockets.push(second);
    await second.view('barrier');
    await otherDevice.view('barrier');
    for (const socket of [second, otherDevice]) expect(socket.messages.items.some((m) => 'needId' in m && m.needId === need.id)).toBe(false);
  });

  it('names, in the race summary, a version that answered recently but not this race', async () => {
    await setUp([{ version: 'v1', delayMs: 0 }], { AD_DEADLINE_MS: '100' });
    const v2 = await startScriptedAds(ns.url, ns.namespace, [{ version: 'v2', delayMs: 0 }]);
    const anna = await socketFor();
    const both = await anna.view('home');
    expect((await anna.raceOf(both.needId, 2)).noAnswer).toEqual([]);
    await v2.close(); // ads-v2 stops
    const alone = await anna.view('deals');
    const race = await anna.raceOf(alone.needId);
    expect(race.replies.map((r) => r.version)).toEqual(['v1']);
    expect(race.noAnswer).toEqual(['v2']);
  });

  it('answers a frame it does not understand with an error, and closes on one that is not JSON', async () => {
    await setUp([{ version: 'v1', delayMs: 0 }]);
    const anna = await socketFor();
    const before = anna.messages.items.length;
    anna.ws.send(JSON.stringify({ type: 'page', page: 'Not A Page!' }));
    anna.ws.send(JSON.stringify({ hello: 'world' }));
    await anna.messages.waitFor(before + 2);
    const errors = anna.messages.items.slice(before).filter((m) => m.type === 'error');
    expect(errors).toEqual([
      { type: 'error', message: expect.stringContaining('{"type":"page","page":"<name>"}') },
      { type: 'error', message: expect.stringContaining('{"type":"page","page":"<name>"}') },
    ]);
    expect((await anna.view('home')).servedBy.version).toBe('v1');

    const closed = new Promise<number>((resolve) => anna.ws.on('close', (code) => resolve(code)));
    anna.ws.send('this is not JSON');
    expect(await closed).toBe(1003);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('lets only a valid answer win: a malformed one is dead-lettered and counted', async () => {
    await setUp([]);
    let needs: Listener<AdNeedV1> | undefined;
    needs = await listenTo(ns.url, ns.namespace, adNeedV1, [adSolutionV1]);
    try {
      const anna = await socketFor();
      anna.ws.send(JSON.stringify({ type: 'page', page: 'home' }));
      const { message: need } = await needs.heard.waitUntil(({ message }) => message.payload.page === 'home');
      const producer = { service: 'ads', version: 'v2', instance: 'v2-test' };
      // First an answer that is right in every field but one (a negative price), then one without a
      // correlation id, which the web server cannot skip unparsed: both are checked and dead-lettered.
      const valid = createAdSolutionV1(need, producer, false, SAMPLE_AD);
      const broken = { ...valid, payload: { ad: { ...SAMPLE_AD, offer: { ...SAMPLE_AD.offer, dailyRateEur: -1 } } } };
      ns.probe.publishRaw(adSolutionV1, JSON.stringify(broken), { correlationId: need.id, messageId: 'broken' });
      ns.probe.publishRaw(adSolutionV1, '{"name":"ad.solution"}', { messageId: 'uncorrelated' });
      await sleep(30);
      await needs.bus.publish(adSolutionV1, valid);
      const ad = await anna.messages.waitUntil((m) => m.type === 'ad' && m.page === 'home');
      expect(ad).toMatchObject({ needId: need.id, servedBy: { version: 'v2' }, ad: SAMPLE_AD });
      const letters = await ns.probe.takeDeadLetters(2);
      expect(letters.map((l) => l.messageId).sort()).toEqual(['broken', 'uncorrelated']);
      expect(letters.find((l) => l.messageId === 'broken')!.reason).toMatch(/^invalid "ad.solution" v1: \/payload\/ad\/offer\/dailyRateEur /);
      // Counted once the broker has confirmed the dead letter, which can come just after it arrived.
      const invalid = async () => metricValue((await app.inject({ method: 'GET', url: '/metrics' })).body, 'ad_race_invalid_messages_total', { version: 'unknown' });
      await eventually(async () => (await invalid()) === 2, 2_000, 'two invalid messages counted');
    } finally {
      await needs.bus.close();
    }
  });

  it('matches an answer translated by the schema adapter to its race by the conversation, and says it was translated', async () => {
    await setUp([]);
    const needs = await listenTo(ns.url, ns.namespace, adNeedV1, [adSolutionV1]);
    try {
      const anna = await socketFor();
      anna.ws.send(JSON.stringify({ type: 'page', page: 'deals' }));
      const { message: need } = await needs.heard.waitUntil(({ message }) => message.payload.page === 'deals');
      // As the adapter sends it: caused by a version-2 answer (not by the need), in the need's conversation.
      const downcast = { ...createAdSolutionV1(need, { service: 'ads', version: 'v2', instance: 'ads-v2-test' }, false, SAMPLE_AD), causationId: newMessageId() };
      await needs.bus.publish(adSolutionV1, downcast, { conversationId: need.id, translatedFrom: adSolutionV2 });
      const ad = await anna.messages.waitUntil((m) => m.type === 'ad' && m.page === 'deals');
      expect(ad).toMatchObject({ needId: need.id, servedBy: { version: 'v2', instance: 'ads-v2-test' } });
      const race = await anna.raceOf(need.id, 1);
      expect(race.replies).toEqual([expect.objectContaining({ version: 'v2', won: true, translated: true })]);
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metricValue(metrics, 'ad_race_translated_replies_total', { version: 'v2' })).toBe(1);
    } finally {
      await needs.bus.close();
    }
  });

  it('sheds load: past the needs it lets be in flight, a page view gets the house ad at once and no need goes out', async () => {
    // The ad service answers after 300 ms: the first 20 needs (the limit it starts with) are all still in flight.
    await setUp([{ version: 'v1', delayMs: 300 }], { AD_DEADLINE_MS: '2000' });
    const anna = await socketFor();
    const published = ads!.needs.items.length;
    const views = Array.from({ length: 30 }, (_, i) => `flood-${i}`);
    for (const page of views) anna.ws.send(JSON.stringify({ type: 'page', page }));
    const adsFor = await Promise.all(views.map((page) => anna.messages.waitUntil((m) => m.type === 'ad' && m.page === page, { timeoutMs: 5_000 })));
    const servedBy = adsFor.map((m) => (m.type === 'ad' ? m.servedBy.version : ''));
    expect(servedBy.filter((v) => v === 'v1')).toHaveLength(20);
    expect(servedBy.filter((v) => v === 'shed')).toHaveLength(10);
    expect(adsFor.find((m) => m.type === 'ad' && m.servedBy.version === 'shed')).toMatchObject({ latencyMs: 0, ad: { offer: { id: 'house-ad' } } });
    expect(ads!.needs.items.length - published).toBe(20);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'ad_race_needs_shed_total', { version: 'shed' })).toBe(10);
  });

  it('counts wins, losses and latencies by version', async () => {
    await setUp([
      { version: 'v1', delayMs: 30 },
      { version: 'v2', delayMs: 0 },
    ]);
    const anna = await socketFor();
    const login = anna.messages.items[0]!;
    await anna.raceOf(login.type === 'ad' ? login.needId : '', 2);
    for (let i = 0; i < 3; i++) await anna.raceOf((await anna.view('home')).needId, 2);
    // Four races: the login's and three page views.
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'ad_race_wins_total', { version: 'v2' })).toBe(4);
    expect(metricValue(metrics, 'ad_race_losses_total', { version: 'v1' })).toBe(4);
    expect(metricValue(metrics, 'ad_race_reply_latency_ms_count', { version: 'v1' })).toBe(4);
    expect(metricValue(metrics, 'ad_race_needs_published_total', { version: '1.0.0' })).toBe(4);
    expect(metricValue(metrics, 'ad_race_fallbacks_total', { version: 'fallback' })).toBe(0);
  });
  it('tells the bus who won each race, or that the house ad was shown', async () => {
    await setUp([{ version: 'v2', delayMs: 0 }], { AD_DEADLINE_MS: '300' });
    const served = await listenTo(ns.url, ns.namespace, adServedV1);
    try {
      const anna = await socketFor();
      const ad = await anna.view('deals');
      const event = (await served.heard.waitUntil(({ message }) => message.conversationId === ad.needId)).message;
      const need = await ads!.needs.waitUntil((n) => n.id === ad.needId);
      expect(event.payload).toEqual({
        customerId: 'c-0001',
        page: 'deals',
        need: { createdAt: need.createdAt, city: 'Amsterdam', loyaltyTier: 'gold' },
        servedBy: { version: 'v2', instance: 'v2-scripted' },
        offerId: SAMPLE_AD.offer.id,
        latencyMs: ad.latencyMs,
      });
      await ads!.close();
      ads = undefined;
      const house = await anna.view('nobody-answers');
      const fallback = (await served.heard.waitUntil(({ message }) => message.conversationId === house.needId)).message;
      expect(fallback.payload).toMatchObject({ servedBy: null, offerId: null });
      expect(fallback.causationId).toBeNull();
    } finally {
      await served.bus.close();
    }
  });

  it('publishes a click on a served ad once, for the version that served it, and ignores clicks that are not on this customer’s ads', async () => {
    await setUp([{ version: 'v1', delayMs: 0 }]);
    const clicks = await listenTo(ns.url, ns.namespace, adClickedV1);
    try {
      const anna = await socketFor();
      const ben = await socketFor('ben@example.com');
      const ad = await anna.view('deals');
      ben.ws.send(JSON.stringify({ type: 'click', needId: ad.needId })); // not Ben's ad
      anna.ws.send(JSON.stringify({ type: 'click', needId: newMessageId() })); // no such ad
      anna.ws.send(JSON.stringify({ type: 'click', needId: ad.needId }));
      anna.ws.send(JSON.stringify({ type: 'click', needId: ad.needId })); // a second click on the same ad
      const { message } = await clicks.heard.waitUntil(({ message }) => message.conversationId === ad.needId);
      expect(message.payload).toEqual({ customerId: 'c-0001', servedBy: { version: 'v1' }, offerId: SAMPLE_AD.offer.id });
      // A page view after the clicks: its ad arrives after the web server handled them all.
      await anna.view('after-the-clicks');
      await ben.view('after-the-clicks');
      expect(clicks.heard.items).toHaveLength(1);
      expect(metricValue((await app.inject({ method: 'GET', url: '/metrics' })).body, 'ad_race_clicks_total', { version: 'v1' })).toBe(1);
    } finally {
      await clicks.bus.close();
    }
  });
});
