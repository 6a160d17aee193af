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
export const DEAD_LETTER_MAX_LENGTH = 10_000;
