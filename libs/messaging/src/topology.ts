import { DEAD_LETTER_MAX_LENGTH, deadLetterName, exchangeName, instanceQueueName, sharedQueueName } from '@ad-race/contracts';
import type { Channel, Options } from 'amqplib';

/**
 * Where a subscription's messages queue up:
 * - `shared`: one queue per group (a service version), shared by its replicas,
 *   so each version handles each message once;
 * - `per-instance`: an exclusive queue of this instance's own, so it sees every message.
 */
export type QueueKind = { kind: 'shared'; group: string } | { kind: 'per-instance' };

/** How long an unused shared queue (a version nobody runs any more) stays in the broker. */
const SHARED_QUEUE_EXPIRES_MS = 10 * 60_000;
/** Bounds on what a queue can hold if its consumers stop: oldest messages go first. */
const SHARED_QUEUE_MAX_LENGTH = 10_000;

/**
 * The exchanges and queues of one namespace, as one process declares them.
 * Every message version travels on a fanout exchange of its own (its
 * contract's channel), so the topology follows from the contracts a process
 * reads and writes; the names come from @ad-race/contracts' routes.
 */
export class Topology {
  constructor(
    readonly namespace: string,
    private readonly instance: string,
  ) {}

  exchange(channel: string): string {
    return exchangeName(this.namespace, channel);
  }

  queue(channel: string, kind: QueueKind, connection: number): string {
    return kind.kind === 'shared'
      ? sharedQueueName(this.namespace, channel, kind.group)
      : instanceQueueName(this.namespace, channel, this.instance, connection);
  }

  get deadLetters(): string {
    return deadLetterName(this.namespace);
  }

  /** Declares the exchanges of these channels and the dead letters; runs again after every reconnect. */
  async declareExchanges(ch: Channel, channels: Iterable<string>): Promise<void> {
    for (const channel of channels) await ch.assertExchange(this.exchange(channel), 'fanout', { durable: true });
    await ch.assertExchange(this.deadLetters, 'fanout', { durable: true });
    await ch.assertQueue(this.deadLetters, { durable: true, arguments: { 'x-max-length': DEAD_LETTER_MAX_LENGTH } });
    await ch.bindQueue(this.deadLetters, this.deadLetters, '');
  }

  /** Declares a subscription's queue and binds it to its channel's exchange. Returns the queue name. */
  async declareQueue(ch: Channel, channel: string, kind: QueueKind, connection: number): Promise<string> {
    const name = this.queue(channel, kind, connection);
    const options: Options.AssertQueue =
      kind.kind === 'shared'
        ? {
            // What waits here is worthless within a second (a need has a deadline), so
            // nothing is kept on disk; an unused queue expires.
            durable: false,
            arguments: { 'x-expires': SHARED_QUEUE_EXPIRES_MS, 'x-max-length': SHARED_QUEUE_MAX_LENGTH },
          }
        : { exclusive: true, autoDelete: true, durable: false };
    await ch.assertQueue(name, options);
    await ch.bindQueue(name, this.exchange(channel), '');
    return name;
  }
}
