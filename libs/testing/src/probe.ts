import { deadLetterName, deadLetterQueueOptions, exchangeName, MESSAGES, sharedQueueName, type DurableQueueType, type MessageContract } from '@ad-race/contracts';
import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';

export interface DeadLetter {
  body: string;
  reason: string;
  queue: string;
  messageId: string | undefined;
}

/** AMQP properties a raw message may carry: anything, including nothing or the wrong thing. */
export interface RawProperties {
  messageId?: string;
  correlationId?: string;
  type?: string;
  headers?: Record<string, unknown>;
}

/**
 * A plain connection for looking at and poking the bus from outside a service:
 * publish raw bytes (a malformed message, say), read the dead letters, and
 * delete a namespace when a test or benchmark is done with it. It uses
 * amqplib directly, as no service may: it is here to do what the bus refuses to.
 */
export class BusProbe {
  private readonly sharedQueues: { channel: string; group: string }[] = [];

  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: Channel,
    readonly namespace: string,
  ) {}

  /**
   * Opens the probe and declares every message version's exchange, and the dead letters:
   * a quorum queue where the namespace's services use quorum queues (DURABLE_QUEUE_TYPE).
   */
  static async open(url: string, namespace: string, deadLetterQueueType: DurableQueueType = 'classic'): Promise<BusProbe> {
    const model = await connect(url);
    model.on('error', () => undefined);
    const channel = await model.createChannel();
    channel.on('error', () => undefined); // a failed check rejects its promise; the error event needs a listener too
    for (const contract of MESSAGES) await channel.assertExchange(exchangeName(namespace, contract.channel), 'fanout', { durable: true });
    const deadLetters = deadLetterName(namespace);
    await channel.assertExchange(deadLetters, 'fanout', { durable: true });
    await channel.assertQueue(deadLetters, deadLetterQueueOptions(deadLetterQueueType));
    await channel.bindQueue(deadLetters, deadLetters, '');
    return new BusProbe(model, channel, namespace);
  }

  /** Publishes bytes as they are, on the exchange of a message version, with whatever AMQP properties are given. */
  publishRaw(on: MessageContract, body: string | Buffer, properties: RawProperties = {}): void {
    this.channel.publish(exchangeName(this.namespace, on.channel), '', Buffer.from(body), properties);
  }

  /**
   * Takes every message now in the dead-letter queue, first waiting up to
   * `timeoutMs` for at least `atLeast` of them: a service dead-letters on a
   * connection of its own, so a letter can reach the queue after the good
   * messages behind it have had their effect.
   */
  async takeDeadLetters(atLeast = 0, timeoutMs = 5_000): Promise<DeadLetter[]> {
    const letters = await this.takeWaitingDeadLetters();
    const deadline = Date.now() + timeoutMs;
    while (letters.length < atLeast && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      letters.push(...(await this.takeWaitingDeadLetters()));
    }
    return letters;
  }

  private async takeWaitingDeadLetters(): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    for (;;) {
      const msg: GetMessage | false = await this.channel.get(deadLetterName(this.namespace), { noAck: true });
      if (!msg) return letters;
      letters.push({
        body: msg.content.toString('utf8'),
        reason: String(msg.properties.headers?.['x-dead-letter-reason'] ?? ''),
        queue: String(msg.properties.headers?.['x-dead-letter-queue'] ?? ''),
        messageId: msg.properties.messageId,
      });
    }
  }

  /** How many messages wait in the dead-letter queue. */
  async deadLetterDepth(): Promise<number> {
    const { messageCount } = await this.channel.checkQueue(deadLetterName(this.namespace));
    return messageCount;
  }

  /** How many messages wait in a shared queue. */
  async queueDepth(of: MessageContract, group: string): Promise<number> {
    const { messageCount } = await this.channel.checkQueue(sharedQueueName(this.namespace, of.channel, group));
    return messageCount;
  }

  /** Notes a shared queue that services in this namespace will declare, for deleteNamespace() to delete. */
  willUseSharedQueue(of: MessageContract, group: string): void {
    this.sharedQueues.push({ channel: of.channel, group });
  }

  /** Deletes one shared queue now: its consumers are cancelled by the broker. */
  async deleteSharedQueue(of: MessageContract, group: string): Promise<void> {
    await this.channel.deleteQueue(sharedQueueName(this.namespace, of.channel, group));
  }

  /** Deletes the namespace's exchanges, its dead-letter queue and the shared queues noted. */
  async deleteNamespace(): Promise<void> {
    for (const q of this.sharedQueues) await this.channel.deleteQueue(sharedQueueName(this.namespace, q.channel, q.group));
    await this.channel.deleteQueue(deadLetterName(this.namespace));
    await this.channel.deleteExchange(deadLetterName(this.namespace));
    for (const contract of MESSAGES) await this.channel.deleteExchange(exchangeName(this.namespace, contract.channel));
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}

/** One operation tried on the broker as some user (see refusalOf). */
export type BrokerAttempt =
  | { publish: { exchange: string } }
  | { declareExchange: string }
  | { bindQueue: { queue: string; exchange: string } }
  | { consume: string };

/**
 * Tries one operation on the broker with the credentials in `url`, on a channel
 * of its own, and returns the broker's refusal (such as "ACCESS_REFUSED - ..."),
 * or null when the broker allowed it.
 */
export async function refusalOf(url: string, attempt: BrokerAttempt): Promise<string | null> {
  const model = await connect(url);
  model.on('error', () => undefined);
  try {
    const channel = await model.createConfirmChannel();
    const closed = new Promise<string>((resolve) => channel.on('error', (err: Error) => resolve(err.message)));
    const act = async () => {
      if ('publish' in attempt) {
        channel.publish(attempt.publish.exchange, '', Buffer.from('{}'));
        await channel.waitForConfirms();
      } else if ('declareExchange' in attempt) await channel.assertExchange(attempt.declareExchange, 'fanout', { durable: true });
      else if ('bindQueue' in attempt) await channel.bindQueue(attempt.bindQueue.queue, attempt.bindQueue.exchange, '');
      else await channel.consume(attempt.consume, () => undefined);
      return null;
    };
    // A refusal closes the channel: the operation's promise rejects, and the channel says why.
    const outcome = await act().catch(async () => await closed);
    if (outcome === null) await channel.close();
    return outcome;
  } finally {
    await model.close().catch(() => undefined);
  }
}
