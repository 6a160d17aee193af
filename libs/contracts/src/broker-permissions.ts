import { deadLetterName, exchangeName, sharedQueueName } from './routes';
import { serviceHeartbeatV1 } from './service-heartbeat';

// Least privilege on the broker: what one service may do there, as the
// regular expressions RabbitMQ checks every operation against. The names are
// routes.ts's, so the permissions follow the topology.
//
// RabbitMQ's three permissions, on exchanges and queues alike:
// - configure: declare or delete it;
// - write: publish to an exchange; bind a queue (write on the queue);
// - read: consume from a queue; bind a queue to an exchange (read on the exchange).

/** What one service does on the bus (services/services.json names it for each service). */
export interface BusAccess {
  /** The message versions (channels) whose exchanges it binds queues to. */
  reads: string[];
  /** The message versions it publishes. Every service also publishes its heartbeat. */
  writes: string[];
  /** Its queues shared by its replicas (or durable), as `<channel>.<group>`: `ad.need.v1.ads-v1`. */
  queues?: string[];
  /**
   * The channels it reads on queues of each instance's own, named
   * `<channel>.<instance>.<connection>`; its instances are named after it
   * (`web-…`), which is what the permission matches.
   */
  instanceQueues?: { channels: string[]; instancePrefix: string };
}

/** One of a service's shared queues, from its entry `<channel>.<group>` (a group has no dot). */
export function sharedQueueOf(entry: string): { channel: string; group: string } {
  const dot = entry.lastIndexOf('.');
  return { channel: entry.slice(0, dot), group: entry.slice(dot + 1) };
}

export interface Permissions {
  configure: string;
  write: string;
  read: string;
}

/** A name as a regular expression matching it literally (a dash needs no escape outside a class). */
const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A regular expression matching exactly these names, or nothing at all (RabbitMQ's "^$"). */
const exactly = (names: string[]) => (names.length === 0 ? '^$' : `^(${[...new Set(names)].map(escape).join('|')})$`);
const either = (...patterns: string[]) => patterns.filter((p) => p !== '^$').join('|') || '^$';

/** The permissions of one service in one namespace. */
export function permissionsFor(namespace: string, access: BusAccess): Permissions {
  const exchange = (channel: string) => exchangeName(namespace, channel);
  const deadLetters = deadLetterName(namespace);
  // Every service writes "I am alive".
  const writes = [...access.writes, serviceHeartbeatV1.channel];
  const queues = (access.queues ?? []).map(sharedQueueOf).map(({ channel, group }) => sharedQueueName(namespace, channel, group));
  const instance = access.instanceQueues;
  const instanceQueues =
    instance && instance.channels.length > 0 ? `^(${instance.channels.map((c) => escape(exchange(c))).join('|')})\\.${escape(instance.instancePrefix)}-[^.][A-Za-z0-9_.-]*$` : '^$';
  // Every service declares the exchanges it reads and writes and the dead letters (exchange and
  // queue, bound together), and dead-letters what it cannot use.
  const declared = exactly([...access.reads, ...writes].map(exchange).concat(deadLetters));
  const ownQueues = either(exactly([...queues, deadLetters]), instanceQueues);
  return {
    configure: either(declared, ownQueues),
    write: either(exactly([...writes.map(exchange), deadLetters]), ownQueues),
    read: either(exactly([...access.reads.map(exchange), deadLetters]), instanceQueues, exactly(queues)),
  };
}

/** One service's user on the broker: its name, and its password (or a placeholder a script replaces). */
export interface BrokerUser {
  name: string;
  password: string;
  access: BusAccess;
}

/**
 * A RabbitMQ definitions file (loaded at the broker's start) creating the
 * virtual host, an administrator, and one user per service with only its
 * permissions. Passwords are given in clear and hashed by RabbitMQ on import.
 */
export function brokerDefinitions(namespace: string, admin: { name: string; password: string }, users: BrokerUser[]) {
  return {
    vhosts: [{ name: '/' }],
    users: [
      { name: admin.name, password: admin.password, tags: ['administrator'] },
      ...users.map((u) => ({ name: u.name, password: u.password, tags: [] as string[] })),
    ],
    permissions: [
      { user: admin.name, vhost: '/', configure: '.*', write: '.*', read: '.*' },
      ...users.map((u) => ({ user: u.name, vhost: '/', ...permissionsFor(namespace, u.access) })),
    ],
  };
}
