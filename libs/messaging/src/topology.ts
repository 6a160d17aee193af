import { deadLetterName, deadLetterQueueOptions, durableQueueOptions, exchangeName, instanceQueueName, sharedQueueName, type DurableQueueType } from '@ad-race/contracts';
import type { Channel, Options } from 'amqplib';

/**
 * Where a subscription's messages queue up:
 * - `shared`: one queue per group (a service version), shared by its replicas,
 *   so each version handles each message once; kept in memory only;
 * - `per-instance`: an exclusive queue of this instance's own, so it sees every message;
 * - `durable`: one queue per group that outlives its consumers and the broker's
 *   restarts, shared by the group's replicas: while they are all down it keeps
 *   what they miss, up to `maxLength` messages (then the oldest go first), for a
 *   listener that must see everything (the monitor). A message with a deadline
 *   (a need) expires at its deadline in every queue, this one too: RabbitMQ
 *   gives a message one time-to-live for all its queues.
 */
export type QueueKind = { kind: 'shared'; group: string } | { kind: 'per-instance' } | { kind: 'durable'; group: string; maxLength: number };

/** How long an unused shared queue (a version nobody runs any more) stays in the broker. */
const SHARED_QUEUE_EXPIRES_MS = 10 * 60_000;
/** Bounds on what a queue can hold if its consumers stop: oldest messages go first. */
const SHARED_QUEUE_MAX_LENGTH = 10_000;
/** How long a durable queue nobody consumes stays in the broker: a monitor down for longer than this is retired. */
const DURABLE_QUEUE_EXPIRES_MS = 7 * 24 * 3600_000;

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
    private readonly durableQueueType: DurableQueueType = 'classic',
  ) {}

  exchange(channel: string): string {
    return exchangeName(this.namespace, channel);
  }

  queue(channel: string, kind: QueueKind, connection: number): string {
    return kind.kind === 'per-instance'
      ? instanceQueueName(this.namespace, channel, this.instance, connection)
      : sharedQueueName(this.namespace, channel, kind.group);
  }

  get deadLetters(): string {
    return deadLetterName(this.namespace);
  }

  /** Declares the exchanges of these channels and the dead letters; runs again after every reconnect. */
  async declareExchanges(ch: Channel, channels: Iterable<string>): Promise<void> {
    for (const channel of channels) await ch.assertExchange(this.exchange(channel), 'fanout', { durable: true });
    await ch.assertExchange(this.deadLetters, 'fanout', { durable: true });
    await ch.assertQueue(this.deadLetters, deadLetterQueueOptions(this.durableQueueType));
    await ch.bindQueue(this.deadLetters, this.deadLetters, '');
  }

  /** Declares a subscription's queue and binds it to its channel's exchange. Returns the queue name. */
  async declareQueue(ch: Channel, channel: string, kind: QueueKind, connection: number): Promise<string> {
    const name = this.queue(channel, kind, connection);
    await ch.assertQueue(name, queueOptions(kind, this.durableQueueType));
    await ch.bindQueue(name, this.exchange(channel), '');
    return name;
  }
}

function queueOptions(kind: QueueKind, durableQueueType: DurableQueueType): Options.AssertQueue {
  switch (kind.kind) {
    case 'shared':
      // What waits here is worthless within a second (a need has a deadline), so
      // nothing is kept on disk; an unused queue expires. Always classic: a need is
      // worth less than what replicating it to a majority of nodes costs in time, and
      // when its node goes, the queue goes with it (it is not durable) and the
      // replicas declare it again on the node they reconnect to.
      return { durable: false, arguments: { 'x-expires': SHARED_QUEUE_EXPIRES_MS, 'x-max-length': SHARED_QUEUE_MAX_LENGTH } };
    case 'durable':
      // Survives its consumers and the broker; bounded, dropping the oldest first, so a
      // listener that is gone for long cannot fill the broker.
      return durableQueueOptions(durableQueueType, { 'x-expires': DURABLE_QUEUE_EXPIRES_MS, 'x-max-length': kind.maxLength, 'x-overflow': 'drop-head' });
    case 'per-instance':
      // Always classic: a quorum queue cannot be exclusive, and this one dies with its connection anyway.
      return { exclusive: true, autoDelete: true, durable: false };
  }
}
