import type { Channel, Options } from 'amqplib';

/** The exchanges of the bus. Every name in the broker is prefixed by the namespace. */
export type ExchangeName = 'needs' | 'solutions';

/**
 * Where a subscription's messages queue up:
 * - `shared`: one queue per group (a service version), shared by its replicas,
 *   so each version handles each message once;
 * - `per-instance`: an exclusive queue of this instance's own, so it sees every message.
 */
export type QueueKind = { kind: 'shared'; group: string } | { kind: 'per-instance' };

export const DEAD_LETTERS = 'dead-letters';

/** How long an unused shared queue (a version nobody runs any more) stays in the broker. */
const SHARED_QUEUE_EXPIRES_MS = 10 * 60_000;
/** Bounds on what a queue can hold if its consumers stop: oldest messages go first. */
const SHARED_QUEUE_MAX_LENGTH = 10_000;
const DEAD_LETTER_MAX_LENGTH = 10_000;

export class Topology {
  constructor(
    readonly namespace: string,
    private readonly instance: string,
  ) {}

  exchange(name: ExchangeName | typeof DEAD_LETTERS): string {
    return `${this.namespace}.${name}`;
  }

  /**
   * A shared queue is named after its group. An instance's own queue is named
   * after the instance and its connection: after a network partition the
   * broker may hold the old connection, and its exclusive queue, for a while.
   */
  queue(exchange: ExchangeName, kind: QueueKind, connection = 1): string {
    return kind.kind === 'shared'
      ? `${this.namespace}.${exchange}.${kind.group}`
      : `${this.namespace}.${exchange}.${this.instance}.${connection}`;
  }

  get deadLetterQueue(): string {
    return `${this.namespace}.${DEAD_LETTERS}`;
  }

  /** Declares the exchanges every service needs; runs again after every reconnect. */
  async declareExchanges(ch: Channel): Promise<void> {
    for (const name of ['needs', 'solutions', DEAD_LETTERS] as const) {
      await ch.assertExchange(this.exchange(name), 'fanout', { durable: true });
    }
    await ch.assertQueue(this.deadLetterQueue, {
      durable: true,
      arguments: { 'x-max-length': DEAD_LETTER_MAX_LENGTH },
    });
    await ch.bindQueue(this.deadLetterQueue, this.exchange(DEAD_LETTERS), '');
  }

  /** Declares a subscription's queue and binds it to its exchange. Returns the queue name. */
  async declareQueue(ch: Channel, exchange: ExchangeName, kind: QueueKind, connection: number): Promise<string> {
    const name = this.queue(exchange, kind, connection);
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
    await ch.bindQueue(name, this.exchange(exchange), '');
    return name;
  }

  /** Removes everything a namespace holds in the broker (for tests and benchmarks). */
  async delete(ch: Channel, sharedQueues: { exchange: ExchangeName; group: string }[]): Promise<void> {
    for (const q of sharedQueues) await ch.deleteQueue(this.queue(q.exchange, { kind: 'shared', group: q.group }));
    await ch.deleteQueue(this.deadLetterQueue);
    for (const name of ['needs', 'solutions', DEAD_LETTERS] as const) await ch.deleteExchange(this.exchange(name));
  }
}
