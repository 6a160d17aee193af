// Where messages travel on the broker: the names of exchanges and queues.
// The bus declares them (libs/messaging); tests, tools and the broker's
// permissions name them the same way. Every name starts with the namespace,
// so several stacks and test runs can share one broker.

/** The exchange of one message version: `ad-race.ad.need.v1`. */
export function exchangeName(namespace: string, channel: string): string {
  return `${namespace}.${channel}`;
}

/**
 * The queue one group of consumers shares on a channel, such as every replica
 * of one ad service version: `ad-race.ad.need.v1.ads-v1`.
 */
export function sharedQueueName(namespace: string, channel: string, group: string): string {
  return `${namespace}.${channel}.${group}`;
}

/**
 * The queue of one consumer of its own on a channel (a web instance hearing
 * every answer), named anew for each connection: a broker may still hold a
 * lost connection's exclusive queue for a while.
 */
export function instanceQueueName(namespace: string, channel: string, instance: string, connection: number): string {
  return `${namespace}.${channel}.${instance}.${connection}`;
}

/** Where messages that broke their contract, or whose handler failed, are kept: exchange and queue alike. */
export function deadLetterName(namespace: string): string {
  return `${namespace}.dead-letters`;
}

/** The dead-letter queue holds at most this many messages: the oldest go first. */
const DEAD_LETTER_MAX_LENGTH = 10_000;

/**
 * The type of the queues whose contents must survive: the dead letters and
 * every `durable` queue. `classic` lives on one node (a single broker's only
 * choice); `quorum` is replicated over the nodes of a cluster (Raft), so its
 * contents survive the loss of a minority of them, and a durable classic
 * queue would be unusable while its one node is down.
 *
 * RabbitMQ (3.10 and later: checked on 3.10.8) keeps every argument those
 * queues use for a quorum queue, with the same meaning: `x-max-length` with `x-overflow:
 * drop-head` (the oldest go first), `x-expires`, and each message's own TTL
 * (its deadline). A quorum queue keeps every message on disk, persistent or
 * not, and counts redeliveries (`x-delivery-count`); RabbitMQ 4 drops a
 * message handed back more than 20 times by default.
 *
 * A queue's type is fixed when it is first declared: declaring an existing
 * queue with the other type fails (PRECONDITION_FAILED, inequivalent arg
 * 'x-queue-type'), and every process of a namespace declares the dead
 * letters, so all must agree. Switching a namespace means deleting its dead
 * letters and durable queues first (their contents with them), or moving to
 * a new namespace.
 */
export type DurableQueueType = 'classic' | 'quorum';

/**
 * How a queue whose contents must survive is declared: durable, with these
 * arguments, and of the namespace's durable queue type. Classic queues are
 * declared without x-queue-type, exactly as before there was a choice.
 */
export function durableQueueOptions(type: DurableQueueType, args: Record<string, unknown>): { durable: boolean; arguments: Record<string, unknown> } {
  return { durable: true, arguments: type === 'quorum' ? { ...args, 'x-queue-type': 'quorum' } : args };
}

/** How the dead-letter queue is declared, by every process of a namespace alike: durable and bounded. */
export function deadLetterQueueOptions(type: DurableQueueType): { durable: boolean; arguments: Record<string, unknown> } {
  return durableQueueOptions(type, { 'x-max-length': DEAD_LETTER_MAX_LENGTH });
}
