import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { Topology, type ExchangeName } from './topology';

export interface DeadLetter {
  body: string;
  reason: string;
  queue: string;
  messageId: string | undefined;
}

/**
 * A plain connection for looking at and poking the bus from outside a service:
 * publish raw bytes (a malformed message, say), read the dead letters, and
 * delete a namespace when a test or benchmark is done with it.
 */
export class BusProbe {
  private readonly topology: Topology;
  private readonly sharedQueues: { exchange: ExchangeName; group: string }[] = [];

  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: Channel,
    namespace: string,
  ) {
    this.topology = new Topology(namespace, 'probe');
  }

  static async open(url: string, namespace: string): Promise<BusProbe> {
    const model = await connect(url);
    model.on('error', () => undefined);
    const channel = await model.createChannel();
    channel.on('error', () => undefined); // a failed check rejects its promise; the error event needs a listener too
    const probe = new BusProbe(model, channel, namespace);
    await probe.topology.declareExchanges(channel);
    return probe;
  }

  /** Publishes bytes as they are, with whatever AMQP properties are given. */
  publishRaw(exchange: ExchangeName, body: string | Buffer, properties: { messageId?: string; correlationId?: string; type?: string } = {}): void {
    this.channel.publish(this.topology.exchange(exchange), '', Buffer.from(body), properties);
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
      const msg: GetMessage | false = await this.channel.get(this.topology.deadLetterQueue, { noAck: true });
      if (!msg) return letters;
      letters.push({
        body: msg.content.toString('utf8'),
        reason: String(msg.properties.headers?.['x-dead-letter-reason'] ?? ''),
        queue: String(msg.properties.headers?.['x-dead-letter-queue'] ?? ''),
        messageId: msg.properties.messageId,
      });
    }
  }

  /** How many messages wait in a shared queue. */
  async queueDepth(exchange: ExchangeName, group: string): Promise<number> {
    const { messageCount } = await this.channel.checkQueue(this.topology.queue(exchange, { kind: 'shared', group }));
    return messageCount;
  }

  /** Notes a shared queue that services in this namespace will declare, for deleteNamespace() to delete. */
  willUseSharedQueue(exchange: ExchangeName, group: string): void {
    this.sharedQueues.push({ exchange, group });
  }

  /** Deletes one shared queue now: its consumers are cancelled by the broker. */
  async deleteSharedQueue(exchange: ExchangeName, group: string): Promise<void> {
    await this.channel.deleteQueue(this.topology.queue(exchange, { kind: 'shared', group }));
  }

  /** Deletes the namespace's exchanges, its dead-letter queue and the shared queues noted. */
  async deleteNamespace(): Promise<void> {
    await this.topology.delete(this.channel, this.sharedQueues);
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}


