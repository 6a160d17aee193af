import { connect } from 'amqplib';
import { performance } from 'node:perf_hooks';

// The floor of the benchmark: the cheapest round trip amqplib and the broker
// allow, with none of ad-race's own work (no schemas, no confirms, no acks).
// One process publishes on a fanout exchange; another answers each message on
// a second fanout exchange; the first consumes the answer. Like the probe, it
// uses amqplib directly, as no service may.

/** Connects, declares both exchanges, and binds a queue of this process's own to one of them. */
async function openFloor(url: string, namespace: string, listenTo: 'ask' | 'answer') {
  const model = await connect(url, { noDelay: true });
  const ch = await model.createChannel();
  const exchanges = { ask: `${namespace}.floor-ask`, answer: `${namespace}.floor-answer` };
  for (const name of Object.values(exchanges)) await ch.assertExchange(name, 'fanout', { durable: false, autoDelete: true });
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, exchanges[listenTo], '');
  return { model, ch, queue, ...exchanges };
}

/** The answering side: echoes every message from the ask exchange onto the answer exchange. Runs until closed. */
export async function runFloorEcho(url: string, namespace: string): Promise<{ close(): Promise<void> }> {
  const { model, ch, queue, answer } = await openFloor(url, namespace, 'ask');
  await ch.consume(queue, (msg) => msg && ch.publish(answer, '', msg.content, { correlationId: msg.properties.correlationId }), { noAck: true });
  return { close: () => model.close() };
}

/**
 * The asking side: sends `count` messages of `size` bytes and returns each
 * round trip's time in milliseconds. Either `inFlight` at a time, each sent as
 * the previous one returns, or paced at `ratePerS` whatever the answers do
 * (the race is measured that way, so the floor can be taken at the same load).
 */
export async function measureFloor(
  url: string,
  namespace: string,
  options: { count: number; size: number } & ({ inFlight: number } | { ratePerS: number }),
): Promise<number[]> {
  const { model, ch, queue, ask } = await openFloor(url, namespace, 'answer');
  const body = Buffer.alloc(options.size, 'x');
  const sentAt = new Map<string, number>();
  const times: number[] = [];
  const paced = 'ratePerS' in options;
  let sent = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const send = () => {
    const id = String(sent++);
    sentAt.set(id, performance.now());
    ch.publish(ask, '', body, { correlationId: id });
  };
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      const id = msg.properties.correlationId as string;
      times.push(performance.now() - sentAt.get(id)!);
      sentAt.delete(id);
      if (times.length === options.count) done();
      else if (!paced && sent < options.count) send();
    },
    { noAck: true },
  );
  if (paced) {
    const start = performance.now();
    const tick = () => {
      const due = Math.min(options.count, Math.floor(((performance.now() - start) / 1000) * options.ratePerS));
      while (sent < due) send();
      if (sent < options.count) setTimeout(tick, 1);
    };
    tick();
  } else {
    for (let i = 0; i < Math.min(options.inFlight, options.count); i++) send();
  }
  await finished;
  await model.close();
  return times;
}
