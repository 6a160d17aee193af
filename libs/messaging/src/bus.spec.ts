import { adNeedV1, adNeedV2, adSolutionV1, createAdNeedV1, createAdNeedV2, deadLetterName, sharedQueueName, type AdNeedV1, type AdNeedV2 } from '@ad-race/contracts';
import { Collector, eventually, freePort, openTestNamespace, silentLogger, sleep } from '@ad-race/testing';
import { connect as connectAmqp, type Channel, type GetMessage } from 'amqplib';
import { connect as connectTcp, createServer, type AddressInfo, type Socket } from 'node:net';
import { Bus, MessageRejected, type BusLogger, type BusOptions, type MessageMeta, type Subscription } from './bus';

const web = { service: 'web', version: '1.0.0', instance: 'web-test' };
const payload = { customerId: 'c-0001', city: 'Amsterdam', loyaltyTier: 'gold' as const, page: 'login' };
const payloadV2 = { ...payload, preferredClasses: ['electric' as const], partySize: 2, rentals: { count: 0, mostRecentClass: null }, trip: null };

function newNeed(deadlineMs = 5_000) {
  return createAdNeedV1(web, payload, deadlineMs);
}

type Heard<M> = Collector<{ message: M; meta: MessageMeta }>;

describe('the bus, against the real broker', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  const buses: Bus[] = [];

  beforeEach(async () => {
    ns = await openTestNamespace('bus');
    ns.willUseSharedQueue(adNeedV1, 'ads-v1');
    ns.willUseSharedQueue(adNeedV2, 'ads-v2');
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await ns.cleanup();
  });

  async function startBus(instance: string, subscriptions: Subscription<AdNeedV1>[] = [], options: Partial<BusOptions> = {}) {
    const bus = new Bus({ url: ns.url, namespace: ns.namespace, instance, logger: silentLogger, publishes: [adNeedV1, adNeedV2], ...options });
    subscriptions.forEach((s) => bus.subscribe(s));
    buses.push(bus);
    await bus.start();
    await bus.connected();
    return bus;
  }

  function needsFor(group: string, heard: Heard<AdNeedV1>, handle?: (m: AdNeedV1) => void | Promise<void>): Subscription<AdNeedV1> {
    return {
      contract: adNeedV1,
      queue: { kind: 'shared', group },
      handle: async (message, meta) => {
        await handle?.(message);
        heard.push({ message, meta });
      },
    };
  }

  it('delivers a published message to a subscriber, with its name, version and conversation in the AMQP properties', async () => {
    const heard: Heard<AdNeedV1> = new Collector();
    const publisher = await startBus('ads-1', [needsFor('ads-v1', heard)]);
    const need = newNeed();
    await publisher.publish(adNeedV1, need);
    const { message, meta } = (await heard.waitFor(1))[0]!;
    expect(message).toEqual(need);
    // A version-1 need starts its conversation: the conversation's id is its own.
    expect(meta).toMatchObject({ messageId: need.id, conversationId: need.id, messageName: 'ad.need', schemaVersion: 1, producerVersion: '1.0.0', redelivered: false });
    expect(meta.translatedBy).toBeUndefined();
    // The frames of one turn of the event loop go out in one write: amqplib is as the bus expects.
    expect(publisher.writesCoalesced).toBe(true);
  });

  it('routes each message version on an exchange of its own: a subscriber never receives a version it does not read', async () => {
    const v1: Heard<AdNeedV1> = new Collector();
    const v2: Heard<AdNeedV2> = new Collector();
    const bus = new Bus({ url: ns.url, namespace: ns.namespace, instance: 'ads-1', logger: silentLogger, publishes: [adNeedV1, adNeedV2] });
    buses.push(bus);
    bus.subscribe(needsFor('ads-v1', v1));
    bus.subscribe({ contract: adNeedV2, queue: { kind: 'shared', group: 'ads-v2' }, handle: (message, meta) => v2.push({ message, meta }) });
    await bus.start();
    await bus.connected();
    const first = newNeed();
    const second = createAdNeedV2(web, payloadV2, 5_000);
    await bus.publish(adNeedV1, first);
    await bus.publish(adNeedV2, second);
    await v1.waitFor(1);
    await v2.waitFor(1);
    await sleep(100); // time for a stray copy to show, were there one
    expect(v1.items.map((h) => h.message.id)).toEqual([first.id]);
    expect(v2.items.map((h) => h.message.id)).toEqual([second.id]);
    expect(v2.items[0]!.meta).toMatchObject({ schemaVersion: 2, conversationId: second.conversationId });
    expect(bus.channels).toEqual({ reads: ['ad.need.v1', 'ad.need.v2'], writes: ['ad.need.v1', 'ad.need.v2'] });
    expect(await ns.probe.takeDeadLetters()).toEqual([]);
  });

  it('marks a translation, and carries the conversation it is given', async () => {
    const heard: Heard<AdNeedV1> = new Collector();
    const bus = await startBus('adapter-1', [needsFor('ads-v1', heard)]);
    const need = newNeed();
    await bus.publish(adNeedV1, need, { conversationId: 'c0ffee00-0000-4000-8000-000000000000', translatedFrom: adNeedV2 });
    const { meta } = (await heard.waitFor(1))[0]!;
    expect(meta).toMatchObject({ conversationId: 'c0ffee00-0000-4000-8000-000000000000', translatedBy: 'adapter-1', translatedFrom: 'ad.need.v2' });
  });

  it('shares a group queue between replicas: each message is handled once between them', async () => {
    const a: Heard<AdNeedV1> = new Collector();
    const b: Heard<AdNeedV1> = new Collector();
    await startBus('replica-a', [needsFor('ads-v1', a)]);
    const publisher = await startBus('replica-b', [needsFor('ads-v1', b)]);
    for (let i = 0; i < 40; i++) await publisher.publish(adNeedV1, newNeed());
    await eventually(() => a.items.length + b.items.length >= 40, 3_000, '40 needs handled');
    await sleep(100); // time for a second copy to show, were there one
    const ids = [...a.items, ...b.items].map((h) => h.message.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(a.items.length).toBeGreaterThan(0);
    expect(b.items.length).toBeGreaterThan(0);
  });

  it('gives every instance its own copy on a per-instance queue', async () => {
    const a: Heard<AdNeedV1> = new Collector();
    const b: Heard<AdNeedV1> = new Collector();
    const perInstance = (c: Heard<AdNeedV1>): Subscription<AdNeedV1> => ({ contract: adNeedV1, queue: { kind: 'per-instance' }, handle: (message, meta) => c.push({ message, meta }) });
    const publisher = await startBus('web-a', [perInstance(a)]);
    await startBus('web-b', [perInstance(b)]);
    await publisher.publish(adNeedV1, newNeed());
    await a.waitFor(1);
    await b.waitFor(1);
  });

  it('dead-letters malformed and unknown messages with the reason, while good ones behind them flow', async () => {
    const heard: Heard<AdNeedV1> = new Collector();
    const bus = await startBus('ads-1', [needsFor('ads-v1', heard)]);
    ns.probe.publishRaw(adNeedV1, 'this is not JSON', { messageId: 'bad-1' });
    ns.probe.publishRaw(adNeedV1, JSON.stringify({ ...newNeed(), schemaVersion: 7 }), { messageId: 'bad-2' });
    ns.probe.publishRaw(adNeedV1, JSON.stringify({ ...newNeed(), payload: { city: 'Amsterdam' } }), { messageId: 'bad-3' });
    // Its properties say version 3: refused before its body (a valid version-1 need) is read.
    ns.probe.publishRaw(adNeedV1, JSON.stringify(newNeed()), { messageId: 'bad-4', type: 'ad.need', headers: { 'schema-version': 3 } });
    const good = newNeed();
    await bus.publish(adNeedV1, good);
    await heard.waitFor(1);
    const letters = await ns.probe.takeDeadLetters(4);
    expect(heard.items.map((h) => h.message)).toEqual([good]);

    const queue = sharedQueueName(ns.namespace, adNeedV1.channel, 'ads-v1');
    expect(letters.map((l) => [l.messageId, l.queue])).toEqual([
      ['bad-1', queue],
      ['bad-2', queue],
      ['bad-3', queue],
      ['bad-4', queue],
    ]);
    expect(letters[0]!.reason).toBe('message body is not JSON');
    expect(letters[1]!.reason).toContain('unknown schema version 7');
    expect(letters[2]!.reason).toContain('/payload/customerId');
    expect(letters[3]!.reason).toBe('unknown schema version 3 of "ad.need" (this consumer reads version 1)');
    expect(letters[0]!.body).toBe('this is not JSON');
  });

  it('dead-letters a message whose handler throws, and goes on consuming', async () => {
    const heard: Heard<AdNeedV1> = new Collector();
    let calls = 0;
    const bus = await startBus('ads-1', [
      needsFor('ads-v1', heard, () => {
        if (++calls === 1) throw new Error('catalog exploded');
      }),
    ]);
    const first = newNeed();
    const second = newNeed();
    await bus.publish(adNeedV1, first);
    await bus.publish(adNeedV1, second);
    await heard.waitFor(1);
    const letters = await ns.probe.takeDeadLetters(1);
    expect(letters).toMatchObject([{ messageId: first.id, reason: 'handler failed: catalog exploded' }]);
    expect(heard.items.map((h) => h.message)).toEqual([second]);
  });

  it('dead-letters a message its handler rejects, with the handler’s reason', async () => {
    const heard: Heard<AdNeedV1> = new Collector();
    const bus = await startBus('ads-1', [
      needsFor('ads-v1', heard, (m) => {
        if (m.payload.customerId === 'c-9999') throw new MessageRejected('no profile of customer c-9999');
      }),
    ]);
    const unknown = createAdNeedV1(web, { ...payload, customerId: 'c-9999' }, 5_000);
    await bus.publish(adNeedV1, unknown);
    await bus.publish(adNeedV1, newNeed());
    await heard.waitFor(1);
    expect(await ns.probe.takeDeadLetters(1)).toMatchObject([{ messageId: unknown.id, reason: 'no profile of customer c-9999' }]);
  });

  it('never hands over a message past its deadline', async () => {
    const heard: Heard<AdNeedV1> = new Collector();
    const expired: string[] = [];
    const bus = await startBus('ads-1', [needsFor('ads-v1', heard)], { hooks: { expired: (_meta, m) => expired.push(m.id) } });
    // Published raw, so the broker's own TTL does not drop it first: the consumer must.
    const stale = createAdNeedV1(web, payload, 10, new Date(Date.now() - 1000));
    ns.probe.publishRaw(adNeedV1, JSON.stringify(stale), { messageId: stale.id });
    const fresh = newNeed();
    await bus.publish(adNeedV1, fresh);
    await heard.waitFor(1);
    await eventually(() => expired.length === 1, 3_000, 'the stale need dropped');
    expect(heard.items.map((h) => h.message)).toEqual([fresh]);
    expect(expired).toEqual([stale.id]);
  });

  it('drops what a subscriber does not want without parsing it', async () => {
    const heard: Heard<AdNeedV1> = new Collector();
    const bus = await startBus('web-1', [{ ...needsFor('web-1', heard), wants: (meta) => meta.conversationId === 'mine' }]);
    ns.probe.publishRaw(adNeedV1, 'not JSON, and not mine', { correlationId: 'someone-else' });
    ns.probe.publishRaw(adNeedV1, JSON.stringify(newNeed()), { correlationId: 'mine' });
    await heard.waitFor(1);
    await sleep(100);
    expect(await ns.probe.takeDeadLetters()).toEqual([]);
    expect(bus.isConnected).toBe(true);
    ns.willUseSharedQueue(adNeedV1, 'web-1');
  });

  it('refuses to publish a message that breaks its contract, or a version it was not built to publish', async () => {
    const bus = await startBus('web-1');
    const broken = { ...newNeed(), deadline: 'whenever' };
    await expect(bus.publish(adNeedV1, broken)).rejects.toThrow(/refusing to publish an invalid message: .*\/deadline/);
    await expect(bus.publish(adSolutionV1, newNeed() as never)).rejects.toThrow('this bus does not publish "ad.solution" v1');
    await expect(bus.publish(adNeedV2, newNeed() as never)).rejects.toThrow(/expected message .*|unknown schema version 1 of "ad.need"/);
  });

  it('recovers by itself when the broker takes its queue away, declaring the topology again', async () => {
    const heard: Heard<AdNeedV1> = new Collector();
    const changes: boolean[] = [];
    const bus = await startBus('ads-1', [needsFor('ads-v1', heard)], { hooks: { connectionChanged: (connected) => changes.push(connected) } });

    // Deleting the queue makes the broker cancel the consumer: the bus must rebuild.
    await ns.probe.deleteSharedQueue(adNeedV1, 'ads-v1');
    await eventually(() => changes.length >= 3, 5_000, 'a reconnect');
    expect(changes).toEqual([true, false, true]);

    const need = newNeed();
    await bus.publish(adNeedV1, need);
    await heard.waitFor(1);
    expect(heard.items.map((h) => h.message)).toEqual([need]);
  });

  it('finishes the messages it is handling before it closes', async () => {
    const finished: string[] = [];
    const started: Heard<AdNeedV1> = new Collector();
    const bus = await startBus('ads-1', [
      {
        contract: adNeedV1,
        queue: { kind: 'shared', group: 'ads-v1' },
        handle: async (message, meta) => {
          started.push({ message, meta });
          await sleep(300);
          finished.push(message.id);
        },
      },
    ]);
    const need = newNeed();
    await bus.publish(adNeedV1, need);
    await started.waitFor(1);
    await bus.close();
    expect(finished).toEqual([need.id]);
    expect(bus.isConnected).toBe(false);
  });
});

/** What a bus logged, for a test to read. */
function recordingLogger(): BusLogger & { lines: Collector<{ level: string; msg: string | undefined; obj: Record<string, unknown> }> } {
  const lines: Collector<{ level: string; msg: string | undefined; obj: Record<string, unknown> }> = new Collector();
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, msg, obj: obj as Record<string, unknown> });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The URL with another port: the same broker, or nothing, at another address. */
function atPort(url: string, port: number): string {
  const other = new URL(url);
  other.port = String(port);
  return other.href;
}

/**
 * Another address of the broker: a TCP relay on a port of its own, which
 * counts the connections made through it and can cut them all, as a node's
 * going away cuts its clients' connections.
 */
async function relayTo(url: string) {
  const broker = new URL(url);
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const upstream = connectTcp({ host: broker.hostname.replace(/^\[|\]$/g, ''), port: Number(broker.port || 5672) });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: atPort(url, port),
    get connections() {
      return connections;
    },
    /** Cuts every connection through the relay; it takes new ones still. */
    cut() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      this.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the bus on the nodes of a cluster, against the real broker', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  const buses: Bus[] = [];
  const relays: Awaited<ReturnType<typeof relayTo>>[] = [];

  beforeEach(async () => {
    ns = await openTestNamespace('bus-nodes');
    ns.willUseSharedQueue(adNeedV1, 'ads-v1');
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await Promise.all(relays.splice(0).map((r) => r.close()));
    await ns.cleanup();
  });

  /** Starts a bus on `url` that reads needs into `heard`; resolves once it has connected (within a few attempts). */
  async function startOn(url: string, heard: Collector<AdNeedV1>, options: Partial<BusOptions> = {}) {
    const bus = new Bus({ url, namespace: ns.namespace, instance: 'ads-1', logger: silentLogger, publishes: [adNeedV1], ...options });
    bus.subscribe({ contract: adNeedV1, queue: { kind: 'shared', group: 'ads-v1' }, handle: (message) => heard.push(message) });
    buses.push(bus);
    await bus.start();
    await eventually(() => bus.isConnected, 4_000, 'the bus connected');
    return bus;
  }

  const label = (url: string) => url.replace(/^(amqps?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');

  it('connects through the second address when the first refuses, and says which it uses, its password hidden', async () => {
    const refusing = atPort(ns.url, await freePort());
    const logger = recordingLogger();
    const heard: Collector<AdNeedV1> = new Collector();
    const bus = await startOn(`${refusing},${ns.url}`, heard, { logger });

    const need = createAdNeedV1(web, payload, 5_000);
    await bus.publish(adNeedV1, need);
    expect((await heard.waitFor(1)).map((m) => m.id)).toEqual([need.id]);
    const said = logger.lines.items.filter((l) => l.msg?.includes('message broker')).map((l) => [l.msg, l.obj['broker']]);
    expect(said).toEqual([
      ['could not connect to the message broker', label(refusing)],
      ['connected to the message broker', label(ns.url)],
    ]);
    expect(JSON.stringify(logger.lines.items)).not.toMatch(/guest:guest@/);
  });

  it('reconnects through the next address when its connection is lost, and goes on handling what is published', async () => {
    const first = await relayTo(ns.url);
    const second = await relayTo(ns.url);
    relays.push(first, second);
    const changes: boolean[] = [];
    const heard: Collector<AdNeedV1> = new Collector();
    const bus = await startOn(`${first.url},${second.url}`, heard, { hooks: { connectionChanged: (connected) => changes.push(connected) } });
    expect([first.connections, second.connections]).toEqual([1, 0]);

    // The first address still takes connections: the bus goes to the second because it is next.
    first.cut();
    await eventually(() => changes.length >= 3, 5_000, 'a reconnect');
    expect(changes).toEqual([true, false, true]);
    expect([first.connections, second.connections]).toEqual([1, 1]);

    const need = createAdNeedV1(web, payload, 5_000);
    await bus.publish(adNeedV1, need);
    expect((await heard.waitFor(1)).map((m) => m.id)).toEqual([need.id]);
  });
});

/**
 * Whether a queue counts redeliveries, as quorum queues do (and classic ones
 * do not): takes its first message, hands it back, and looks at it again.
 * Tells a queue's type over AMQP, without the management plugin.
 */
async function countsRedeliveries(channel: Channel, queue: string): Promise<boolean> {
  const first = await channel.get(queue, { noAck: false });
  if (!first) throw new Error(`${queue} is empty`);
  channel.nack(first, false, true);
  const again: GetMessage[] = [];
  await eventually(
    async () => {
      const message = await channel.get(queue, { noAck: false });
      if (message) again.push(message);
      return again.length > 0;
    },
    3_000,
    `the message back in ${queue}`,
  );
  channel.nack(again[0]!, false, true);
  return again[0]!.properties.headers?.['x-delivery-count'] !== undefined;
}

describe('the bus with quorum queues for what must survive a node, against the real broker', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  const buses: Bus[] = [];

  beforeEach(async () => {
    // The probe declares the dead letters too: as a quorum queue, as the services of this namespace do.
    ns = await openTestNamespace('bus-quorum', undefined, 'quorum');
    ns.willUseSharedQueue(adNeedV1, 'monitor'); // a durable queue is named as a shared one
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await ns.cleanup();
  });

  async function started(bus: Bus): Promise<Bus> {
    buses.push(bus);
    await bus.start();
    await eventually(() => bus.isConnected, 4_000, 'the bus connected');
    return bus;
  }

  it('declares the dead letters and a durable queue as quorum queues, which keep what they are given as classic ones did', async () => {
    const options = { url: ns.url, namespace: ns.namespace, logger: silentLogger, durableQueueType: 'quorum' as const };
    const queue = { kind: 'durable', group: 'monitor', maxLength: 2 } as const;
    const durableQueue = sharedQueueName(ns.namespace, adNeedV1.channel, queue.group);

    // A listener declares its durable queue, and goes away.
    const gone = new Bus({ ...options, instance: 'monitor-1' });
    gone.subscribe({ contract: adNeedV1, queue, handle: () => undefined });
    await started(gone);
    await gone.close();

    // While it is away, its queue keeps the newest two of three needs: the oldest goes first.
    const web1 = await started(new Bus({ ...options, instance: 'web-1', publishes: [adNeedV1] }));
    const needs = [0, 1, 2].map(() => createAdNeedV1(web, payload, 60_000));
    for (const need of needs) await web1.publish(adNeedV1, need);
    await eventually(async () => (await ns.probe.queueDepth(adNeedV1, 'monitor')) === 2, 3_000, 'two needs kept');

    const model = await connectAmqp(ns.url);
    try {
      const channel = await model.createChannel();
      expect(await countsRedeliveries(channel, durableQueue)).toBe(true);

      // Back, the listener gets those two, and refuses one: it is kept in the dead letters.
      const heard: Collector<AdNeedV1> = new Collector();
      const back = new Bus({ ...options, instance: 'monitor-2' });
      back.subscribe({
        contract: adNeedV1,
        queue,
        handle: (message) => {
          heard.push(message);
          if (message.id === needs[1]!.id) throw new MessageRejected('not this one');
        },
      });
      await started(back);
      expect((await heard.waitFor(2)).map((m) => m.id).sort()).toEqual([needs[1]!.id, needs[2]!.id].sort());
      await eventually(async () => (await ns.probe.deadLetterDepth()) === 1, 3_000, 'a dead letter');
      expect(await countsRedeliveries(channel, deadLetterName(ns.namespace))).toBe(true);
      expect(await ns.probe.takeDeadLetters(1)).toMatchObject([{ messageId: needs[1]!.id, reason: 'not this one', queue: durableQueue }]);
      await channel.close();
    } finally {
      await model.close();
    }
  });
});
