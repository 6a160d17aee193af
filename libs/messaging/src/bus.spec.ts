import { adNeedV1, adSolutionV1, createAdNeedV1, type AdNeedV1 } from '@ad-race/contracts';
import { randomUUID } from 'node:crypto';
import { Bus, type Subscription } from './bus';
import { BusProbe } from './probe';

// The bus's own tests use nothing but the bus: the shared test utilities
// (libs/service-testing) are built on it.
const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

async function openTestNamespace(label: string) {
  const url = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
  const namespace = `${label}-${randomUUID().slice(0, 8)}`;
  const probe = await BusProbe.open(url, namespace);
  const cleanup = () => probe.deleteNamespace().then(() => probe.close());
  return { url, namespace, probe, willUseSharedQueue: probe.willUseSharedQueue.bind(probe), cleanup };
}

const web = { service: 'web', version: '1.0.0', instance: 'web-test' };
const payload = { customerId: 'c-0001', city: 'Amsterdam', loyaltyTier: 'gold' as const, page: 'login' };

function newNeed(deadlineMs = 5_000) {
  return createAdNeedV1(web, payload, deadlineMs);
}

/** Collects what a subscription handles, and lets a test wait for a count. */
function collector<M>() {
  const seen: M[] = [];
  let waiters: (() => void)[] = [];
  return {
    seen,
    push(m: M) {
      seen.push(m);
      waiters.forEach((w) => w());
    },
    async waitFor(count: number, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs;
      while (seen.length < count) {
        if (Date.now() > deadline) throw new Error(`saw ${seen.length} of ${count} messages`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
        waiters = [];
      }
    },
  };
}

const settle = (ms = 200) => new Promise((r) => setTimeout(r, ms));

describe('the bus, against the real broker', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  const buses: Bus[] = [];

  beforeEach(async () => {
    ns = await openTestNamespace('bus');
    ns.willUseSharedQueue('needs', 'ads-v1');
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await ns.cleanup();
  });

  async function startBus(instance: string, ...subscriptions: Subscription<AdNeedV1>[]) {
    const bus = new Bus({ url: ns.url, namespace: ns.namespace, instance, logger: silentLogger });
    subscriptions.forEach((s) => bus.subscribe(s));
    buses.push(bus);
    await bus.start();
    await bus.connected();
    return bus;
  }

  function needsFor(group: string, handle: (m: AdNeedV1) => void | Promise<void>): Subscription<AdNeedV1> {
    return { exchange: 'needs', queue: { kind: 'shared', group }, contract: adNeedV1, handle };
  }

  it('delivers a published message to a subscriber, with its correlation in the AMQP properties', async () => {
    const got = collector<AdNeedV1>();
    const metas: unknown[] = [];
    const consumer = await startBus('ads-1', {
      ...needsFor('ads-v1', got.push),
      wants: (meta) => (metas.push(meta), true),
    });
    const need = newNeed();
    await consumer.publish('needs', adNeedV1, need);
    await got.waitFor(1);
    expect(got.seen).toEqual([need]);
    expect(metas[0]).toMatchObject({ messageId: need.id, messageName: 'ad.need', producerVersion: '1.0.0', redelivered: false });
  });

  it('shares a group queue between replicas: each message is handled once between them', async () => {
    const a = collector<AdNeedV1>();
    const b = collector<AdNeedV1>();
    await startBus('replica-a', needsFor('ads-v1', a.push));
    const publisher = await startBus('replica-b', needsFor('ads-v1', b.push));
    for (let i = 0; i < 40; i++) await publisher.publish('needs', adNeedV1, newNeed());
    await settle();
    const ids = [...a.seen, ...b.seen].map((m) => m.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(a.seen.length).toBeGreaterThan(0);
    expect(b.seen.length).toBeGreaterThan(0);
  });

  it('gives every instance its own copy on a per-instance queue', async () => {
    const a = collector<AdNeedV1>();
    const b = collector<AdNeedV1>();
    const perInstance = (c: typeof a): Subscription<AdNeedV1> => ({ exchange: 'needs', queue: { kind: 'per-instance' }, contract: adNeedV1, handle: c.push });
    const publisher = await startBus('web-a', perInstance(a));
    await startBus('web-b', perInstance(b));
    await publisher.publish('needs', adNeedV1, newNeed());
    await a.waitFor(1);
    await b.waitFor(1);
  });

  it('dead-letters malformed and unknown messages with the reason, while good ones behind them flow', async () => {
    const got = collector<AdNeedV1>();
    const bus = await startBus('ads-1', needsFor('ads-v1', got.push));
    ns.probe.publishRaw('needs', 'this is not JSON', { messageId: 'bad-1' });
    ns.probe.publishRaw('needs', JSON.stringify({ ...newNeed(), schemaVersion: 7 }), { messageId: 'bad-2' });
    ns.probe.publishRaw('needs', JSON.stringify({ ...newNeed(), payload: { city: 'Amsterdam' } }), { messageId: 'bad-3' });
    const good = newNeed();
    await bus.publish('needs', adNeedV1, good);
    await got.waitFor(1);
    const letters = await ns.probe.takeDeadLetters(3);
    expect(got.seen).toEqual([good]);

    expect(letters.map((l) => [l.messageId, l.queue])).toEqual([
      ['bad-1', `${ns.namespace}.needs.ads-v1`],
      ['bad-2', `${ns.namespace}.needs.ads-v1`],
      ['bad-3', `${ns.namespace}.needs.ads-v1`],
    ]);
    expect(letters[0]!.reason).toBe('message body is not JSON');
    expect(letters[1]!.reason).toContain('unknown schema version 7');
    expect(letters[2]!.reason).toContain('/payload/customerId');
    expect(letters[0]!.body).toBe('this is not JSON');
  });

  it('dead-letters a message whose handler throws, and goes on consuming', async () => {
    const got = collector<AdNeedV1>();
    let calls = 0;
    const bus = await startBus(
      'ads-1',
      needsFor('ads-v1', (m) => {
        if (++calls === 1) throw new Error('catalog exploded');
        got.push(m);
      }),
    );
    const first = newNeed();
    const second = newNeed();
    await bus.publish('needs', adNeedV1, first);
    await bus.publish('needs', adNeedV1, second);
    await got.waitFor(1);
    const letters = await ns.probe.takeDeadLetters(1);
    expect(letters).toMatchObject([{ messageId: first.id, reason: 'handler failed: catalog exploded' }]);
    expect(got.seen).toEqual([second]);
  });

  it('never hands over a message past its deadline', async () => {
    const got = collector<AdNeedV1>();
    const expired: string[] = [];
    const bus = new Bus({
      url: ns.url,
      namespace: ns.namespace,
      instance: 'ads-1',
      logger: silentLogger,
      hooks: { expired: (_meta, m) => expired.push(m.id) },
    });
    buses.push(bus);
    bus.subscribe(needsFor('ads-v1', got.push));
    await bus.start();
    await bus.connected();
    // Published raw, so the broker's own TTL does not drop it first: the consumer must.
    const stale = createAdNeedV1(web, payload, 10, new Date(Date.now() - 1000));
    ns.probe.publishRaw('needs', JSON.stringify(stale), { messageId: stale.id });
    const fresh = newNeed();
    await bus.publish('needs', adNeedV1, fresh);
    await got.waitFor(1);
    await settle(100);
    expect(got.seen).toEqual([fresh]);
    expect(expired).toEqual([stale.id]);
  });

  it('drops what a subscriber does not want without parsing it', async () => {
    const got = collector<AdNeedV1>();
    const bus = await startBus('web-1', {
      exchange: 'solutions',
      queue: { kind: 'per-instance' },
      contract: adNeedV1,
      wants: (meta) => meta.correlationId === 'mine',
      handle: got.push,
    });
    ns.probe.publishRaw('solutions', 'not JSON, and not mine', { correlationId: 'someone-else' });
    ns.probe.publishRaw('solutions', JSON.stringify(newNeed()), { correlationId: 'mine' });
    await got.waitFor(1);
    await settle(100);
    expect(await ns.probe.takeDeadLetters()).toEqual([]);
    expect(bus.isConnected).toBe(true);
  });

  it('refuses to publish a message that breaks its contract', async () => {
    const bus = await startBus('web-1');
    const broken = { ...newNeed(), deadline: 'whenever' };
    await expect(bus.publish('needs', adNeedV1, broken)).rejects.toThrow(/refusing to publish an invalid message: .*\/deadline/);
    await expect(bus.publish('solutions', adSolutionV1, newNeed() as never)).rejects.toThrow(/expected message "ad.solution"/);
  });

  it('recovers by itself when the broker takes its queue away, declaring the topology again', async () => {
    const got = collector<AdNeedV1>();
    const changes: boolean[] = [];
    const bus = new Bus({
      url: ns.url,
      namespace: ns.namespace,
      instance: 'ads-1',
      logger: silentLogger,
      hooks: { connectionChanged: (connected) => changes.push(connected) },
    });
    buses.push(bus);
    bus.subscribe(needsFor('ads-v1', got.push));
    await bus.start();
    await bus.connected();

    // Deleting the queue makes the broker cancel the consumer: the bus must rebuild.
    await ns.probe.deleteSharedQueue('needs', 'ads-v1');
    for (let i = 0; i < 50 && changes.length < 3; i++) await settle(100);
    expect(changes).toEqual([true, false, true]);

    const need = newNeed();
    await bus.publish('needs', adNeedV1, need);
    await got.waitFor(1);
    expect(got.seen).toEqual([need]);
  });

  it('finishes the messages it is handling before it closes', async () => {
    const finished: string[] = [];
    const bus = await startBus(
      'ads-1',
      needsFor('ads-v1', async (m) => {
        await settle(300);
        finished.push(m.id);
      }),
    );
    const need = newNeed();
    await bus.publish('needs', adNeedV1, need);
    await settle(100);
    await bus.close();
    expect(finished).toEqual([need.id]);
    expect(bus.isConnected).toBe(false);
  });
});
