import { connect, type Channel, type ConsumeMessage } from 'amqplib';
import { performance } from 'node:perf_hooks';

// The race-shaped floor: the message pattern of one race, in bare amqplib,
// with none of ad-race's own code. An asker publishes a need (confirmed) on a
// fanout exchange with one queue per answerer; each answerer publishes its
// answer (confirmed) on a second fanout exchange and acknowledges the need
// once the answer is confirmed; the asker consumes the answers and
// acknowledges them. Acks go in batches, one per turn of the event loop, as
// the bus sends them. What it costs is what the architecture itself costs:
// the race without validation, logging, the race table or the WebSocket.

/** The bodies of the real messages: a version-1 need and a version-1 answer are about this long. */
export const SHAPE_NEED_BYTES = 340;
export const SHAPE_ANSWER_BYTES = 610;

const names = (namespace: string) => ({ need: `${namespace}.shape-need`, answer: `${namespace}.shape-answer` });

/** Acknowledges what a channel delivered, once per turn of the event loop, up to the last settled in order. */
function batchedAcks(channel: Channel) {
  let last: ConsumeMessage | null = null;
  let scheduled = false;
  return (msg: ConsumeMessage) => {
    if (!last || msg.fields.deliveryTag > last.fields.deliveryTag) last = msg;
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      try {
        if (last) channel.ack(last, true);
      } catch {
        // closed meanwhile: the broker takes them back
      }
      last = null;
    });
  };
}

async function open(url: string, namespace: string) {
  const model = await connect(url, { noDelay: true });
  // Closing is the end of a measure: what is still on the way then is of no interest.
  model.on('error', () => undefined);
  const channel = await model.createChannel();
  const confirm = await model.createConfirmChannel();
  for (const ch of [channel, confirm]) ch.on('error', () => undefined);
  const { need, answer } = names(namespace);
  for (const exchange of [need, answer]) await channel.assertExchange(exchange, 'fanout', { durable: false });
  await channel.prefetch(200);
  return { model, channel, confirm, need, answer };
}

/**
 * One answerer: answers every need on a queue of its own, acknowledging the
 * need once the broker has confirmed the answer (as an ad service does).
 * Confirms come back in the order of publishing, so a multiple ack up to the
 * latest confirmed need covers only needs whose answers are confirmed.
 */
export async function runShapeAnswerer(url: string, namespace: string, name: string): Promise<{ close(): Promise<void> }> {
  const { model, channel, confirm, need, answer } = await open(url, namespace);
  const { queue } = await channel.assertQueue(`${need}.${name}`, { exclusive: true, durable: false });
  await channel.bindQueue(queue, need, '');
  const body = Buffer.alloc(SHAPE_ANSWER_BYTES, 'a');
  const ack = batchedAcks(channel);
  await channel.consume(queue, (msg) => {
    if (!msg) return;
    confirm.publish(answer, '', body, { correlationId: msg.properties.correlationId }, (err) => {
      if (!err) ack(msg);
    });
  });
  return { close: () => model.close() };
}

export interface ShapeAsker {
  /**
   * Publishes `count` needs at `ratePerS`, whatever the answers do, and
   * returns, for each need answered, the time from publishing it to its first
   * answer in milliseconds (the race's winner, as the web server times it).
   */
  measure(options: { count: number; ratePerS: number }): Promise<number[]>;
  close(): Promise<void>;
}

/** The asker, connected; `answerers` is how many answer each need: every answer is consumed and acknowledged. */
export async function openShapeAsker(url: string, namespace: string, answerers: number): Promise<ShapeAsker> {
  const { model, channel, confirm, need, answer } = await open(url, namespace);
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, answer, '');
  const ack = batchedAcks(channel);
  const body = Buffer.alloc(SHAPE_NEED_BYTES, 'n');
  const sentAt = new Map<string, number>();
  const answersLeft = new Map<string, number>();
  let onFirstAnswer: (ms: number) => void = () => undefined;
  let sequence = 0;
  await channel.consume(queue, (msg) => {
    if (!msg) return;
    ack(msg);
    const id = msg.properties.correlationId as string;
    const at = sentAt.get(id);
    if (at === undefined) return;
    if (!answersLeft.has(id)) onFirstAnswer(performance.now() - at);
    const left = (answersLeft.get(id) ?? answerers) - 1;
    if (left > 0) return void answersLeft.set(id, left);
    sentAt.delete(id);
    answersLeft.delete(id);
  });

  return {
    async measure({ count, ratePerS }) {
      const times: number[] = [];
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      onFirstAnswer = (ms) => {
        times.push(ms);
        if (times.length === count) done();
      };
      let sent = 0;
      const start = performance.now();
      const tick = () => {
        const due = Math.min(count, Math.floor(((performance.now() - start) / 1000) * ratePerS));
        for (; sent < due; sent++) {
          const id = String(sequence++);
          sentAt.set(id, performance.now());
          confirm.publish(need, '', body, { correlationId: id });
        }
        if (sent < count) setTimeout(tick, 1);
      };
      tick();
      // A floor that cannot keep up: what came back within a while past the last need is what it did.
      const timer = setTimeout(done, (count / ratePerS) * 1000 + 2_000);
      await finished;
      clearTimeout(timer);
      sentAt.clear();
      answersLeft.clear();
      return times;
    },
    /** Closes the asker and removes the floor's exchanges: stop the answerers first. */
    async close() {
      for (const exchange of [need, answer]) await channel.deleteExchange(exchange);
      await model.close();
    },
  };
}
